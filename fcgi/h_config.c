/*
 * h_config.c: what the web client needs to draw forms and the menu: the
 * configurable lists and the customer-type tree (rules/lists.lua) and the
 * menu for the user's role (rules/menu.lua), and the map's tile server.  Both come straight from the
 * rules, so an admin's edit shows on the next request.
 */
#include <jansson.h>

#include "extern.h"

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
		if ((v = rules_json(c, "lists", keys[i], NULL)) == NULL) {
			json_decref(all);
			reply_err(c, ERR_RULE, NULL);
			return;
		}
		json_object_set(all, keys[i], v);
	}
	/* The map's tile server is the deployment's (docs/deployment.md). */
	json_object_set_new(all, "map", json_pack("{s:s?, s:s?}", "tile_url",
	    cfg.map_tiles, "attribution", cfg.map_tiles ? cfg.map_attribution :
	    NULL));
	reply_json(c, 200, all);
}

/* GET /api/v1/menu: the menu of rules/menu.lua for the user's role. */
void
h_menu(struct ctx *c)
{
	json_t	*v;

	v = rules_json(c, "menu", "for_role", json_pack("[s]", c->user->role));
	if (v == NULL) {
		reply_err(c, ERR_RULE, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:O}", "menu", v));
}
