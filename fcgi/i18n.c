/*
 * i18n.c: the error table (code, HTTP status, message in each language)
 * and the choice of language from Accept-Language or a user setting.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

static const struct {
	const char	*code;
	int		 status;
	const char	*msg[LANG__MAX];
} errs[ERR__MAX] = {
	[ERR_OK] = { "ok", 200, { "成功", "OK" } },
	[ERR_BAD_JSON] = { "bad_json", 400,
	    { "请求内容不是有效的 JSON 对象。",
	      "The request body is not a valid JSON object." } },
	[ERR_BAD_UTF8] = { "bad_utf8", 400,
	    { "请求中含有无效的 UTF-8 文本。",
	      "The request contains invalid UTF-8 text." } },
	[ERR_BAD_FIELD] = { "bad_field", 400,
	    { "字段的类型或格式不正确。",
	      "A field has the wrong type or format." } },
	[ERR_UNKNOWN_FIELD] = { "unknown_field", 400,
	    { "请求中含有不允许的字段。",
	      "The request contains a field that is not allowed here." } },
	[ERR_MISSING_FIELD] = { "missing_field", 400,
	    { "缺少必填字段。", "A required field is missing." } },
	[ERR_BAD_REQUEST] = { "bad_request", 400,
	    { "请求格式不正确。", "The request is malformed." } },
	[ERR_UNAUTHENTICATED] = { "unauthenticated", 401,
	    { "会话已结束，请重新登录。",
	      "Your session has ended, please log in again." } },
	[ERR_BAD_LOGIN] = { "bad_login", 401,
	    { "用户名或密码不正确。", "Wrong login or password." } },
	[ERR_CSRF] = { "csrf", 403,
	    { "请求缺少有效的安全令牌，请刷新页面后重试。",
	      "The request lacks a valid security token; reload the page "
	      "and try again." } },
	[ERR_FORBIDDEN] = { "forbidden", 403,
	    { "您没有执行此操作的权限。",
	      "You are not allowed to do this." } },
	[ERR_NOT_FOUND] = { "not_found", 404,
	    { "找不到请求的内容。", "Not found." } },
	[ERR_METHOD] = { "method_not_allowed", 405,
	    { "不支持此请求方法。", "This method is not allowed here." } },
	[ERR_CONFLICT] = { "conflict", 409,
	    { "数据已被修改或已存在，请刷新后重试。",
	      "The data changed or already exists; reload and try again." } },
	[ERR_TOO_LARGE] = { "too_large", 413,
	    { "请求内容过大。", "The request body is too large." } },
	[ERR_UNSUPPORTED_TYPE] = { "unsupported_type", 415,
	    { "请求内容类型应为 application/json。",
	      "The request body must be application/json." } },
	[ERR_VALIDATION] = { "validation", 422,
	    { "数据未通过校验。", "The data did not pass validation." } },
	[ERR_DUPLICATE] = { "duplicate_name", 409,
	    { "已有同名客户。", "A customer with this name already exists." } },
	[ERR_ALREADY_CLAIMED] = { "already_claimed", 409,
	    { "该客户已被他人申领。", "Someone else has claimed this customer." } },
	[ERR_LIMIT] = { "limit", 409,
	    { "超出客户数量限制。", "This would pass a customer limit." } },
	[ERR_IDEM_KEY] = { "idempotency_key", 400,
	    { "请求缺少有效的 Idempotency-Key。",
	      "The request needs a valid Idempotency-Key header." } },
	[ERR_IDEM_REUSED] = { "idempotency_key_reused", 422,
	    { "该 Idempotency-Key 已用于另一个请求。",
	      "This Idempotency-Key was already used for another request." } },
	[ERR_WEAK_PASSWORD] = { "weak_password", 422,
	    { "新密码不符合密码规则。",
	      "The new password does not meet the password policy." } },
	[ERR_LOCKED] = { "locked", 429,
	    { "登录失败次数过多，请 15 分钟后再试。",
	      "Too many failed logins; try again in 15 minutes." } },
	[ERR_RULE] = { "rule_error", 503,
	    { "业务规则出错，请联系管理员。",
	      "A business rule failed; please tell the administrator." } },
	[ERR_UNAVAILABLE] = { "unavailable", 503,
	    { "服务暂时不可用，请稍后重试。",
	      "The service is briefly unavailable; please try again." } },
	[ERR_INTERNAL] = { "internal", 500,
	    { "服务器内部错误，已记录。",
	      "Internal server error; it has been logged." } },
	[ERR_REPORT_INVALID] = { "report_invalid", 422,
	    { "报表定义有误。", "The report definition is not valid." } },
};

/* The message for e in language l (static storage). */
const char *
crm_strerror(enum crm_err e, enum lang l)
{
	if ((unsigned)e >= ERR__MAX || (unsigned)l >= LANG__MAX)
		abort();
	return errs[e].msg[l];
}

/* The stable machine code for e, as sent in "error.code". */
const char *
crm_errcode(enum crm_err e)
{
	if ((unsigned)e >= ERR__MAX)
		abort();
	return errs[e].code;
}

/* The HTTP status for e. */
int
crm_errstatus(enum crm_err e)
{
	if ((unsigned)e >= ERR__MAX)
		abort();
	return errs[e].status;
}

/*
 * Pick zh-CN or English from an Accept-Language header (RFC 9110 12.5.4):
 * the first language range with a non-zero weight that is zh or en wins.
 * Default zh-CN: the product's first language.
 */
enum lang
i18n_from_accept(const char *h)
{
	const char	*p, *end, *q;
	size_t		 n;

	if (h == NULL)
		return LANG_ZH;
	for (p = h; *p != '\0'; p = *end ? end + 1 : end) {
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strcspn(p, ",");
		n = strcspn(p, ";, \t");
		q = memchr(p, ';', (size_t)(end - p));
		if (q != NULL && strncmp(q, ";q=0", 4) == 0 &&
		    strspn(q + 4, ".0") == (size_t)(end - q - 4))
			continue;	/* q=0, q=0.0: "not acceptable" */
		if (n >= 2 && strncasecmp(p, "zh", 2) == 0 &&
		    (n == 2 || p[2] == '-'))
			return LANG_ZH;
		if (n >= 2 && strncasecmp(p, "en", 2) == 0 &&
		    (n == 2 || p[2] == '-'))
			return LANG_EN;
	}
	return LANG_ZH;
}

/* "en", "en-US" -> English; anything else zh-CN. */
enum lang
i18n_from_name(const char *s)
{
	if (s != NULL && strncasecmp(s, "en", 2) == 0 &&
	    (s[2] == '\0' || s[2] == '-' || s[2] == '_'))
		return LANG_EN;
	return LANG_ZH;
}

/* The name stored in settings and sent to the browser. */
const char *
i18n_name(enum lang l)
{
	return l == LANG_EN ? "en" : "zh-CN";
}
