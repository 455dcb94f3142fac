/*
 * test_core.c: the arena, the string builder and the language choice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extern.h"

static int	 cleaned;

static void
count_cleanup(void *p)
{
	cleaned += *(int *)p;
}

static void
test_arena_alloc_and_cleanups(void **state)
{
	struct arena	 a;
	int		 one = 1, ten = 10;
	char		*p, *big;

	(void)state;
	arena_init(&a, 0);
	p = arena_strdup(&a, "hello");
	assert_string_equal(p, "hello");
	big = arena_alloc(&a, 100000);	/* larger than a chunk */
	assert_non_null(big);
	memset(big, 'x', 100000);
	assert_string_equal(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
	cleaned = 0;
	arena_cleanup_add(&a, count_cleanup, &one);
	arena_cleanup_add(&a, count_cleanup, &ten);
	arena_reset(&a);
	assert_int_equal(cleaned, 11);
	assert_int_equal(a.used, 0);
	assert_non_null(arena_alloc(&a, 10));
	arena_free(&a);
}

static void
test_arena_cap(void **state)
{
	struct arena	 a;

	(void)state;
	arena_init(&a, 1024);
	assert_non_null(arena_alloc(&a, 512));
	assert_null(arena_alloc(&a, 1024));
	assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
	arena_free(&a);
}

static void
test_buf_overflow_is_sticky(void **state)
{
	struct arena	 a;
	struct buf	 b;

	(void)state;
	arena_init(&a, 0);
	buf_init(&b, &a, 8);
	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "1234");
	buf_printf(&b, "%d", 56);
	assert_string_equal(buf_cstr(&b), "123456");
	assert_int_equal(b.overflow, 0);
	buf_puts(&b, "789");
	assert_int_equal(b.overflow, 1);
	buf_putc(&b, 'x');
	assert_int_equal(b.len, 6);
	arena_free(&a);
}

static void
test_language_choice(void **state)
{
	(void)state;
	assert_int_equal(i18n_from_accept(NULL), LANG_ZH);
	assert_int_equal(i18n_from_accept(""), LANG_ZH);
	assert_int_equal(i18n_from_accept("en-US,en;q=0.9"), LANG_EN);
	assert_int_equal(i18n_from_accept("zh-CN,zh;q=0.9,en;q=0.8"),
	    LANG_ZH);
	assert_int_equal(i18n_from_accept("fr-FR, en;q=0.5"), LANG_EN);
	assert_int_equal(i18n_from_accept("en;q=0, zh"), LANG_ZH);
	assert_int_equal(i18n_from_accept("english"), LANG_ZH);
	assert_int_equal(i18n_from_name("en"), LANG_EN);
	assert_int_equal(i18n_from_name("zh-CN"), LANG_ZH);
	assert_int_equal(i18n_from_name("eng"), LANG_ZH);
	assert_string_equal(i18n_name(LANG_EN), "en");
}

static void
test_every_error_has_both_messages(void **state)
{
	int	 e;

	(void)state;
	for (e = 0; e < ERR__MAX; e++) {
		assert_non_null(crm_errcode((enum crm_err)e));
		assert_true(strlen(crm_strerror((enum crm_err)e, LANG_ZH)) > 0);
		assert_true(strlen(crm_strerror((enum crm_err)e, LANG_EN)) > 0);
		assert_true(crm_errstatus((enum crm_err)e) >= 200);
		/* A user must never see a 500 for bad input. */
		if (e != ERR_INTERNAL)
			assert_true(crm_errstatus((enum crm_err)e) != 500);
	}
}

static void
test_tokens(void **state)
{
	struct arena	 a;
	const char	*t1, *t2, *h;

	(void)state;
	arena_init(&a, 0);
	t1 = auth_token(&a, 32);
	t2 = auth_token(&a, 32);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_int_equal(auth_equal(t1, t1), 0);
	assert_int_not_equal(auth_equal(t1, t2), 0);
	assert_int_not_equal(auth_equal("abc", "abcd"), 0);
	h = auth_sha256_hex(&a, "abc");
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	arena_free(&a);
}

static void
test_password_hash(void **state)
{
	char	*h;
	int	 rehash = 1;

	(void)state;
	h = auth_hash("demo-pass-2026");
	assert_non_null(h);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_int_equal(auth_verify(h, "demo-pass-2026", &rehash), 0);
	assert_int_equal(rehash, 0);
	assert_int_equal(auth_verify(h, "demo-pass-2027", &rehash), -1);
	assert_int_equal(auth_verify("garbage", "x", &rehash), -1);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_and_cleanups),
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_buf_overflow_is_sticky),
		cmocka_unit_test(test_language_choice),
		cmocka_unit_test(test_every_error_has_both_messages),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_password_hash),
	};

	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
