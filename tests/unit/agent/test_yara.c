/*
 * test_yara.c - the webshell rules of rules/webshell against shells of the
 * kinds attackers drop into upload folders (PHP one-liners, encoded
 * payloads, JSP command and class-loading shells, ASP/ASPX China Chopper)
 * and against honest uploads that must stay quiet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/yara.h"

static struct ag_yara *y;

static int hit(const char *s, char *names, size_t n)
{
	return ag_yara_scan(y, (const uint8_t *)s, strlen(s), names, n);
}

static void test_shells(void **state)
{
	static const char *const shells[] = {
		"<?php @eval($_POST['pass']);?>",
		"<?php eval(base64_decode('ZWNobyAiaGkiOw=='));?>",
		"<?php $f=$_GET['f']; $f($_POST['x']); ?>",
		"<?php @$_GET['a']($_POST['b']); ?>",
		"GIF89a\x01\x02<?php system($_REQUEST['cmd']); ?>",
		"<?php array_map('assert', $_POST); ?>",
		"<?php assert(gzinflate(base64_decode('abc'))); ?>",
		"<?php /* FilesMan */ echo 1; ?>",
		"<%Runtime.getRuntime().exec(request.getParameter(\"cmd\"));%>",
		("<%@page import=\"java.util.*,javax.crypto.*\"%><%!class U extends ClassLoader{"
		"U(ClassLoader c){super(c);}public Class g(byte[] b){return super.defineClass(b,0,"
		"b.length);}}%><%String k=\"e45e329feb5d925b\";Cipher c=Cipher.getInstance(\"AES\");"
		"new U(this.getClass().getClassLoader()).g(c.doFinal(new sun.misc.BASE64Decoder()."
		"decodeBuffer(request.getReader().readLine()))).newInstance();%>"),
		"<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"pass\"],\"unsafe\");%>",
		"<%execute(request(\"cmd\"))%>",
		"<% Set s = Server.CreateObject(\"WScript.Shell\") : s.Run(Request.Form(\"c\")) %>",
		("<%@ Page Language=\"C#\" %><% System.Reflection.Assembly.Load(Convert."
		"FromBase64String(Request.Form[\"k\"])).CreateInstance(\"U\"); %>"),
	};
	char names[256];

	(void)state;
	for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++) {
		int r = hit(shells[i], names, sizeof names);
		if (r != 1)
			fprintf(stderr, "missed shell %zu: %s\n", i, shells[i]);
		assert_int_equal(r, 1);
		assert_true(names[0] != '\0');
	}
}

static void test_honest_uploads(void **state)
{
	static const char *const honest[] = {
		"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj",
		"<?php echo \"Hello, \" . htmlspecialchars($_GET['name']); ?>",
		"<html><script>var x = eval(\"1+1\");</script></html>",
		"<% out.println(request.getParameter(\"name\")); %>",
		"<% Response.Write(Server.HTMLEncode(Request.QueryString(\"q\"))) %>",
		"通知：请各单位于本周五前提交材料。eval($_POST) 是常见的后门写法。",
		"",
	};
	char names[256];

	(void)state;
	for (size_t i = 0; i < sizeof honest / sizeof honest[0]; i++) {
		int r = hit(honest[i], names, sizeof names);
		if (r != 0)
			fprintf(stderr, "false alarm %zu (%s): %s\n", i, names, honest[i]);
		assert_int_equal(r, 0);
	}
}

static void test_rules_dir_matches_embedded(void **state)
{
	const char *src = getenv("SW_SRC");
	char dir[4096];
	struct ag_yara *d = NULL;
	struct sw_errbuf eb;
	char names[256];

	(void)state;
	if (!src)
		skip();
	snprintf(dir, sizeof dir, "%s/rules/webshell", src);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_yara_new(dir, &d, &eb), SW_OK);
	assert_int_equal(ag_yara_scan(d, (const uint8_t *)"<?php @eval($_POST[1]);", 23, names,
				      sizeof names),
			 1);
	ag_yara_free(d);
	sw_errbuf_clear(&eb);
	assert_int_equal(ag_yara_new("/nonexistent-rules", &d, &eb), SW_EINVAL);
	assert_non_null(strstr(eb.msg, "rules"));
}

static int setup(void **state)
{
	struct sw_errbuf eb;

	(void)state;
	sw_errbuf_clear(&eb);
	if (ag_yara_new(NULL, &y, &eb)) {
		fprintf(stderr, "%s\n", eb.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ag_yara_free(y);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shells),
		cmocka_unit_test(test_honest_uploads),
		cmocka_unit_test(test_rules_dir_matches_embedded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
