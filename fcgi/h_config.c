/*
 * h_config.c: what the web client needs to draw forms and the menu: the
 * configurable lists and the customer-type tree (rules/lists.lua) and the
 * menu for the user's role (rules/menu.lua).  Both come straight from the
 * rules, so an admin's edit shows on the next request.
 */
#include <stdlib.h>

#include <jansson.h>

#include "extern.h"

/* Call a rule and decode its JSON answer; on failure answer 503. */
static json_t *
rule_value(struct ctx *c, const char *file, const char *fn, json_t *args)
{
	char		*argjson = NULL, *out, *err;
	json_t		*v;
	json_error_t	 je;
	int		 rc;

	if (args != NULL) {
		argjson = json_dumps(args, JSON_COMPACT);
		json_decref(args);
	}
	rc = rules_call(c->w->rules, c->a, file, fn, argjson, &out, &err);
	free(argjson);
	if (rc == -1) {
		log_err("rules: %s.%s: %s", file, fn, err);
		return NULL;
	}
	if ((v = json_loads(out, JSON_DECODE_ANY, &je)) == NULL)
		log_err("rules: %s.%s: bad result: %s", file, fn, je.text);
	return v;
}

/* GET /api/v1/config. */
void
h_config(struct ctx *c)
{
	static const char *const keys[] = {
		"regions", "sources", "stages", "statuses", "customer_types",
	};
	json_t	*v, *all;
	size_t	 i;

	if ((all = json_object()) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = rule_value(c, "lists", keys[i], NULL)) == NULL) {
			json_decref(all);
			reply_err(c, ERR_RULE, NULL);
			return;
		}
		json_object_set_new(all, keys[i], v);
	}
	reply_json(c, 200, all);
}

/* GET /api/v1/menu: the menu of rules/menu.lua for the user's role. */
void
h_menu(struct ctx *c)
{
	json_t	*v;

	v = rule_value(c, "menu", "for_role", json_pack("[s]", c->user->role));
	if (v == NULL) {
		reply_err(c, ERR_RULE, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", "menu", v));
}
