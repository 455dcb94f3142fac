<?php
// peer.php: the PHP-FPM peer of `make bench` (scripts/bench).  The same
// prepared primary-key SELECT as tests/load/bare_fcgi.c (/bare/pk), the way
// a PHP CRM would do it at its best: a persistent connection per FPM worker,
// the statement prepared once per connection.  nginx passes the conninfo in
// the FastCGI param BENCH_DB.
$c = pg_pconnect($_SERVER['BENCH_DB'] ?? 'dbname=crm');
$id = (string)(int)($_GET['id'] ?? '1');
$r = @pg_execute($c, 'pk', [$id]);
if ($r === false) {
	pg_prepare($c, 'pk', 'select row_to_json(c)::text from customers c where c.id = $1');
	$r = pg_execute($c, 'pk', [$id]);
}
header('Content-Type: application/json');
$row = $r ? pg_fetch_row($r) : false;
echo $row ? $row[0] : 'null';
