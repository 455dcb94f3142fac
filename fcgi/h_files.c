/*
 * h_files.c: uploads (photos, contracts, logos) and downloads.
 *
 * An upload is the raw request body (no multipart: fetch(url, {body:
 * file})), capped by cfg.max_upload.  Photos are checked by their content
 * (a JPEG libturbojpeg can read, sane dimensions), their EXIF capture
 * time and GPS position are read once, and the stored image is
 * re-encoded without any metadata, at most 1600 pixels on its longer side,
 * with a 320-pixel thumbnail.  Contracts may also be PDF.  Files live in
 * PostgreSQL so every app server sees them, under an unguessable token.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define PHOTO_SIDE	1600
#define THUMB_SIDE	320

static const char *
img_message(struct ctx *c, enum img_err e)
{
	switch (e) {
	case IMG_NOT_JPEG:
		return ctx_text(c, "文件不是 JPEG 照片。",
		    "The file is not a JPEG photo.");
	case IMG_DIMENSIONS:
		return ctx_text(c, "照片尺寸过大（最长边 12000 像素以内）。",
		    "The photo is too large (at most 12000 pixels a side).");
	case IMG_CORRUPT:
		return ctx_text(c, "照片已损坏或不完整，请重新拍摄。",
		    "The photo is damaged or incomplete; take it again.");
	default:
		return ctx_text(c, "无法读取照片。", "The photo cannot be read.");
	}
}

/* POST /api/v1/files?kind=photo|contract|logo&name=...: the body is the file. */
void
h_files_upload(struct ctx *c)
{
	const char		*kind = http_kv_get(&c->req.query, "kind");
	const char		*name = http_kv_get(&c->req.query, "name");
	const unsigned char	*body = (const unsigned char *)c->req.body;
	const char		*ctype = "image/jpeg", *token, *p[13];
	unsigned char		*photo = NULL, *thumb = NULL;
	size_t			 plen = 0, tlen = 0;
	struct img_info		 info;
	enum img_err		 ie;
	enum crm_err		 e;
	int			 w = 0, h = 0, tw, th, len[13], fmt[13];
	PGresult		*res;

	if (kind == NULL || (strcmp(kind, "photo") != 0 &&
	    strcmp(kind, "contract") != 0 && strcmp(kind, "logo") != 0)) {
		reply_err(c, ERR_BAD_FIELD, "kind");
		return;
	}
	if (name != NULL && (strlen(name) > 200 ||
	    !http_utf8_valid(name, strlen(name))))
		name = NULL;
	if (c->req.bodylen == 0) {
		reply_errmsg(c, ERR_BAD_REQUEST, "file", ctx_text(c,
		    "没有收到文件。", "No file was received."));
		return;
	}
	memset(&info, 0, sizeof(info));
	if (strcmp(kind, "contract") == 0 && c->req.bodylen >= 5 &&
	    memcmp(body, "%PDF-", 5) == 0) {
		ctype = "application/pdf";
		photo = (unsigned char *)c->req.body;
		plen = c->req.bodylen;
	} else {
		if ((ie = img_inspect(body, c->req.bodylen, &info)) != IMG_OK ||
		    (ie = img_reencode(c->a, body, c->req.bodylen, PHOTO_SIDE,
		    85, &photo, &plen, &w, &h)) != IMG_OK ||
		    (ie = img_reencode(c->a, body, c->req.bodylen, THUMB_SIDE,
		    75, &thumb, &tlen, &tw, &th)) != IMG_OK) {
			reply_errmsg(c, ie == IMG_NOT_JPEG ?
			    ERR_UNSUPPORTED_TYPE : ERR_VALIDATION, "file",
			    img_message(c, ie));
			return;
		}
	}
	if ((token = auth_token(c->a, 24)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	memset(len, 0, sizeof(len));
	memset(fmt, 0, sizeof(fmt));
	p[0] = token;
	p[1] = kind;
	p[2] = ctype;
	p[3] = name;
	p[4] = arena_printf(c->a, "%zu", plen);
	p[5] = (const char *)photo;
	len[5] = (int)plen;
	fmt[5] = 1;
	p[6] = (const char *)thumb;
	len[6] = (int)tlen;
	fmt[6] = 1;
	p[7] = w ? arena_printf(c->a, "%d", w) : NULL;
	p[8] = h ? arena_printf(c->a, "%d", h) : NULL;
	p[9] = info.has_time ? info.taken_at : NULL;
	p[10] = info.has_gps ? arena_printf(c->a, "%.7f", info.lat) : NULL;
	p[11] = info.has_gps ? arena_printf(c->a, "%.7f", info.lng) : NULL;
	p[12] = arena_printf(c->a, "%lld", c->user->id);
	res = db_exec_fmt(c->w->db, c->a, ST_FILE_INSERT, 13, p, len, fmt, 0,
	    &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_json(c, 201, json_pack("{s:s, s:s, s:s, s:i, s:i, s:{s:s?, s:o}}",
	    "token", token, "kind", kind, "content_type", ctype, "width", w,
	    "height", h, "exif", "taken_at", info.has_time ? info.taken_at :
	    NULL, "gps", info.has_gps ? json_pack("{s:f, s:f}", "lat", info.lat,
	    "lng", info.lng) : json_null()));
}

/* GET /api/v1/files/{token}[?thumb=1]. */
void
h_files_get(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*thumb = http_kv_get(&c->req.query, "thumb");

	if (strlen(c->args[0]) > 64) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	res = db_exec_fmt(c->w->db, c->a, ST_FILE_GET, DB_ARGS(c->args[0],
	    thumb != NULL ? "true" : "false"), NULL, NULL, 1, &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	c->rep.status = 200;
	c->rep.ctype = arena_strndup(c->a, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	c->rep.cache = "private, max-age=86400, immutable";
	buf_write(&c->rep.body, PQgetvalue(res, 0, 1),
	    (size_t)PQgetlength(res, 0, 1));
	reply_header(c, "Content-Disposition: inline");
}
