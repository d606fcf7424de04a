/*
 * test_extract.c: running a source's patterns over page bytes (extract.c,
 * with the built-in 24kg source of config.c).  The built-in source must
 * find USD, EUR and RUB and the page time in the header as the text
 * rendering prints it, and in HTML where tags, &nbsp;, &#160;, UTF-8
 * no-break spaces and newlines stand between a code and its number, with a
 * full date, a clock alone or no time at all, with decimal commas and with
 * Cyrillic words around it.  It must find nothing in pages that only look
 * similar: a share-price widget, an article that mentions currencies, the
 * codes in the wrong order, a truncated header, binary junk.  User sources
 * from config text cover the rules for which group is the rate, a combined
 * (?<code>)/(?<rate>) pattern (the first match of each currency wins), a
 * user time pattern, and a pattern that backtracks catastrophically, which
 * must end with an error on its item instead of hanging.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rates.h"

static int
setup(void **state)
{
	*state = config_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	config_free(*state);
	return 0;
}

static const struct source *
builtin(void **state)
{
	const struct source *src = config_find(*state, "24kg");

	assert_non_null(src);
	assert_int_equal(src->ncurrencies, 3);
	return src;
}

/* Run the built-in source over a NUL-terminated page. */
static void
run_page(void **state, const char *page, struct extraction *ex)
{
	extract_run(builtin(state), page, strlen(page), ex);
	assert_int_equal(ex->nitems, 3);
	assert_string_equal(ex->items[0].code, "USD");
	assert_string_equal(ex->items[1].code, "EUR");
	assert_string_equal(ex->items[2].code, "RUB");
}

static void
assert_item(const struct extract_item *it, const char *code, const char *rate)
{
	assert_string_equal(it->code, code);
	if (!it->found)
		fail_msg("%s not found (%s)", code,
		    it->error != NULL ? it->error : "no match");
	assert_null(it->error);
	assert_non_null(it->rate_text);
	assert_string_equal(it->rate_text, rate);
	/* The match is kept for display, cut at 200 bytes. */
	assert_non_null(it->match);
	assert_true(strlen(it->match) > 0 && strlen(it->match) <= 200);
	if (strlen(it->match) < 200)
		assert_non_null(strstr(it->match, rate));
}

static void
assert_rates(const struct extraction *ex, const char *usd, const char *eur,
    const char *rub)
{
	assert_item(&ex->items[0], "USD", usd);
	assert_item(&ex->items[1], "EUR", eur);
	assert_item(&ex->items[2], "RUB", rub);
}

static void
assert_no_rates(const struct extraction *ex)
{
	size_t i;

	for (i = 0; i < ex->nitems; i++) {
		if (ex->items[i].found)
			fail_msg("%s found '%s' in '%s'", ex->items[i].code,
			    ex->items[i].rate_text, ex->items[i].match);
		assert_null(ex->items[i].rate_text);
		assert_null(ex->items[i].match);
		assert_null(ex->items[i].error);
	}
}

static void
assert_time(const struct extraction *ex, const char *date, const char *clock)
{
	assert_null(ex->time_error);
	assert_true(ex->has_time);
	assert_non_null(ex->time_text);
	assert_string_equal(ex->time_text, clock);
	if (date == NULL)
		assert_null(ex->date_text);
	else {
		assert_non_null(ex->date_text);
		assert_string_equal(ex->date_text, date);
	}
}

static void
assert_no_time(const struct extraction *ex)
{
	assert_false(ex->has_time);
	assert_null(ex->time_text);
	assert_null(ex->date_text);
	assert_null(ex->time_error);
}

/* The header as the text rendering of 24.kg prints it. */
static void
test_text_header(void **state)
{
	struct extraction ex;

	run_page(state,
	    " date 2025-12-18 11:26\n"
	    "USD 87.45\n"
	    "EUR 102.48\n"
	    "RUB 1.10\n"
	    "English\n"
	    "\n"
	    "Some news. The USD rose to 90.1 and the EUR to 100 elsewhere.\n"
	    "At 12:30 the market closed.\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	assert_non_null(ex.time_match);
	extraction_release(&ex);
	assert_null(ex.items);
	assert_int_equal(ex.nitems, 0);
}

static void
test_html_entities(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<!DOCTYPE html><html><head><title>24.kg</title></head><body>"
	    "<div class=\"top\"><span class=\"date\">date 2025-12-18 "
	    "<b>11:26</b></span>"
	    "<ul class=\"currency\">"
	    "<li><span class=\"code\">USD</span>&nbsp;"
	    "<span class=\"value\">87.45</span></li>"
	    "<li><span class=\"code\">EUR</span>&#160;"
	    "<span class=\"value\">102.48</span></li>"
	    "<li><span class=\"code\">RUB</span>\xc2\xa0"
	    "<span class=\"value\">1.10</span></li>"
	    "</ul></div><div class=\"lang\">English</div>"
	    "<p>Other text with 15:00 in it.</p></body></html>", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);
}

/* Lines and indentation between tags, as HTML is usually served. */
static void
test_html_newlines(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<div class=\"currency\">\n"
	    "  <span>date 2025-12-18\n  11:26</span>\n"
	    "  <div>USD\n    <b>87.45</b>\n  </div>\n"
	    "  <div>EUR\r\n    <b>102.48</b>\n  </div>\n"
	    "  <div>RUB\t&nbsp;\n    <b>1.10</b>\n  </div>\n"
	    "</div>\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);
}

/* A pretty-printed page, shallow: 4 spaces a level, 3 levels deep. */
static void
test_html_pretty_printed(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<div class=\"header\">\n"
	    "    <div class=\"rates\">\n"
	    "        <div class=\"rate\">\n"
	    "            <span class=\"code\">USD</span>\n"
	    "            <span class=\"value\">87.45</span>\n"
	    "        </div>\n"
	    "        <div class=\"rate\">\n"
	    "            <span class=\"code\">EUR</span>\n"
	    "            <span class=\"value\">102.48</span>\n"
	    "        </div>\n"
	    "        <div class=\"rate\">\n"
	    "            <span class=\"code\">RUB</span>\n"
	    "            <span class=\"value\">1.10</span>\n"
	    "        </div>\n"
	    "    </div>\n"
	    "</div>\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);
}

/* Add one line of HTML indented by two spaces a level. */
static void
line(struct buf *b, int depth, const char *text)
{
	buf_addf(b, "%*s%s\n", 2 * depth, "", text);
}

/*
 * A pretty-printed page as templates emit it, with the header where a
 * real site keeps it: inside html, body, a wrapper, header, a container, a
 * top bar and a list, indented two spaces a level.  Between "87.45" and
 * "EUR" stand only 4 tags and white space, but the white space is 47
 * characters (3 newlines, 14 + 14 + 16 spaces of indentation).
 */
static void
test_html_deep_indentation(void **state)
{
	struct buf b = BUF_INIT;
	struct extraction ex;

	line(&b, 0, "<!DOCTYPE html>");
	line(&b, 0, "<html lang=\"en\">");
	line(&b, 1, "<body>");
	line(&b, 2, "<div class=\"wrapper\">");
	line(&b, 3, "<header class=\"site-header\">");
	line(&b, 4, "<div class=\"container\">");
	line(&b, 5, "<div class=\"top-bar\">");
	line(&b, 6, "<span class=\"date\">date 2025-12-18 11:26</span>");
	line(&b, 6, "<ul class=\"currency\">");
	line(&b, 7, "<li>");
	line(&b, 8, "<span class=\"code\">USD</span>");
	line(&b, 8, "<span class=\"value\">87.45</span>");
	line(&b, 7, "</li>");
	line(&b, 7, "<li>");
	line(&b, 8, "<span class=\"code\">EUR</span>");
	line(&b, 8, "<span class=\"value\">102.48</span>");
	line(&b, 7, "</li>");
	line(&b, 7, "<li>");
	line(&b, 8, "<span class=\"code\">RUB</span>");
	line(&b, 8, "<span class=\"value\">1.10</span>");
	line(&b, 7, "</li>");
	line(&b, 6, "</ul>");
	line(&b, 5, "</div>");
	line(&b, 4, "</div>");
	line(&b, 3, "</header>");
	line(&b, 2, "</div>");
	line(&b, 1, "</body>");
	line(&b, 0, "</html>");
	run_page(state, b.data, &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);
	buf_release(&b);
}

/* The page was rendered with a clock only: no date. */
static void
test_clock_only(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<div class=\"time\">11:26</div>"
	    "<div>USD <b>87.45</b></div><div>EUR <b>102.48</b></div>"
	    "<div>RUB <b>1.10</b></div>", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, NULL, "11:26");
	extraction_release(&ex);

	run_page(state, "9:05\nUSD 87.45\nEUR 102.48\nRUB 1.10\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, NULL, "9:05");
	extraction_release(&ex);
}

static void
test_no_time(void **state)
{
	struct extraction ex;

	run_page(state, "USD 87.45\nEUR 102.48\nRUB 1.10\nEnglish\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_no_time(&ex);
	extraction_release(&ex);

	/* A time elsewhere on the page is not the page time. */
	run_page(state,
	    "USD 87.45\nEUR 102.48\nRUB 1.10\nEnglish\n"
	    "Published 2025-12-17 09:15\nAt 12:30 the market closed.\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_no_time(&ex);
	extraction_release(&ex);
}

static void
test_decimal_comma(void **state)
{
	struct extraction ex;
	const char *page = " date 2025-12-18 11:26\nUSD 87,45\nEUR 102,48\n"
	    "RUB 1,10\n";
	char *cause = NULL;

	/* 24.kg prints 87.45: numbers with a comma are not its header. */
	run_page(state, page, &ex);
	assert_no_rates(&ex);
	assert_no_time(&ex);
	assert_non_null(ex.not_header);
	assert_non_null(strstr(ex.not_header, "87,45"));
	extraction_release(&ex);

	/* Told that the site prints a decimal comma, it reads them. */
	const char *conf = "[source 24kg]\ndecimal = ,\n";

	assert_int_equal(config_parse(*state, conf, strlen(conf), "test.conf",
	    &cause), 0);
	run_page(state, page, &ex);
	assert_rates(&ex, "87,45", "102,48", "1,10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);

	run_page(state, "USD 87,4500 EUR 102 RUB 1,1\n", &ex);
	assert_rates(&ex, "87,4500", "102", "1,1");
	extraction_release(&ex);
}

/* The Russian and Kyrgyz editions carry the same header. */
static void
test_cyrillic(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<div>Курсы валют</div> дата 2025-12-18 11:26\n"
	    "USD 87.45\nEUR 102.48\nRUB 1.10\nРусский\n"
	    "Доллар США подорожал до 90.1 сома.\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);

	run_page(state,
	    "Кыргызча\n11:26\nUSD&nbsp;87.45\nEUR&nbsp;102.48\n"
	    "RUB&nbsp;1.10\nЖаңылыктар\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, NULL, "11:26");
	extraction_release(&ex);
}

/* The header is at the top: a later block of the same shape loses. */
static void
test_first_match_wins(void **state)
{
	struct extraction ex;

	run_page(state,
	    " date 2025-12-18 11:26\nUSD 87.45\nEUR 102.48\nRUB 1.10\n"
	    "Yesterday:\n date 2025-12-17 11:00\nUSD 87.50\nEUR 102.00\n"
	    "RUB 1.09\n", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);
}

/* Patterns run over len bytes, not up to the first NUL. */
static void
test_bytes_after_nul(void **state)
{
	static const char page[] = "\x89PNG\0\0\0junk\0"
	    "USD 87.45\nEUR 102.48\nRUB 1.10\n";
	struct extraction ex;

	extract_run(builtin(state), page, sizeof page - 1, &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);

	/* And nothing past len is read. */
	extract_run(builtin(state), page, 20, &ex);
	assert_no_rates(&ex);
	extraction_release(&ex);
}

static void
test_widget_is_not_a_header(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<div class=\"shares\">Kumtor USD 11,22</div>"
	    "<p>News of the day.</p>", &ex);
	assert_no_rates(&ex);
	assert_no_time(&ex);
	extraction_release(&ex);
}

static void
test_article_is_not_a_header(void **state)
{
	struct extraction ex;

	run_page(state,
	    "<p>On 2025-12-18 11:26 the USD rose to 90.1 and EUR to 100, "
	    "while RUB fell to 1.05.</p>", &ex);
	assert_no_rates(&ex);
	assert_no_time(&ex);
	extraction_release(&ex);

	run_page(state, "USD: 87.45, EUR: 102.48, RUB: 1.10", &ex);
	assert_no_rates(&ex);
	extraction_release(&ex);
}

/*
 * One header block: a currency missing or without a number inside it is
 * that currency's alone, and a later block is never used instead; the time
 * is the header's own, never one from further down the page.
 */
static void
test_header_block(void **state)
{
	struct extraction ex;

	run_page(state, "<p>2025-12-18 11:26</p><ul><li>USD 87.45</li>"
	    "<li>EUR n/a</li><li>RUB 1.10</li></ul><table><tr><td>USD 80.00 "
	    "EUR 90.00 RUB 1.00</td></tr></table>", &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_true(ex.items[1].found);
	assert_null(ex.items[1].rate_text);
	assert_string_equal(ex.items[1].shown, "n/a");
	assert_item(&ex.items[2], "RUB", "1.10");
	assert_true(ex.has_block);
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);

	/* EUR left out of the header: not taken from the table below. */
	run_page(state, "<p>11:26</p>USD 87.45 RUB 1.10<p>Archive of "
	    "2024-01-05 10:00: USD 80.00 EUR 90.00 RUB 1.00</p>", &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_false(ex.items[1].found);
	assert_item(&ex.items[2], "RUB", "1.10");
	assert_time(&ex, NULL, "11:26");
	extraction_release(&ex);

	/* A dash, or an empty cell. */
	run_page(state, "USD \xe2\x80\x94 EUR <b></b> RUB 1.10", &ex);
	assert_string_equal(ex.items[0].shown, "\xe2\x80\x94");
	assert_string_equal(ex.items[1].shown, "");
	assert_item(&ex.items[2], "RUB", "1.10");
	extraction_release(&ex);

	/* No time in the header: none from a dated line below it. */
	run_page(state, "USD 87.45 EUR 102.48 RUB 1.10<p>On 2024-05-01 "
	    "10:00 the bank met.</p>", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_no_time(&ex);
	extraction_release(&ex);

	/* Nor one above it with another number between. */
	run_page(state, "Updated 2024-05-01 10:00. Views: 155<br>USD 87.45 "
	    "EUR 102.48 RUB 1.10", &ex);
	assert_no_time(&ex);
	extraction_release(&ex);

	/* No-break spaces in every spelling; seconds; a comma after the date. */
	run_page(state, "date 2025-12-18, 11:26:45 USD&#XA0;87.45 EUR&#xA0;"
	    "102.48 RUB\xe2\x80\xaf" "1.10", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26:45");
	extraction_release(&ex);

	run_page(state, "USD&#8239;87.45 EUR&thinsp;102.48 RUB&#x202F;1.10",
	    &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);

	/*
	 * One number in another notation is that currency's error; all of
	 * them, and the block is no header (a widget).
	 */
	run_page(state, "USD 87.45 EUR 102,48 RUB 1.10", &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_item(&ex.items[1], "EUR", "102,48");
	assert_int_equal(ex.items[1].notation, '.');
	assert_int_equal(ex.items[0].notation, 0);
	extraction_release(&ex);
	run_page(state, "USD 11,22 EUR 9,80", &ex);
	assert_no_rates(&ex);
	assert_non_null(ex.not_header);
	extraction_release(&ex);

	/* Bare codes, a menu, are no header either. */
	run_page(state, "USD EUR RUB", &ex);
	assert_no_rates(&ex);
	extraction_release(&ex);
}

/*
 * Pages that once made a currency take a number it never had: codes in a
 * row over their numbers, a menu beside another number, a number broken by
 * a space or a NUL byte, codes and times inside tags; and the limits of
 * what may separate the items and the time.
 */
static void
test_header_traps(void **state)
{
	struct extraction ex;
	static const char nul[] = "2025-12-18 11:26\nUSD 87.45 EUR 102\0.48 "
	    "RUB 1.10";
	struct buf b = BUF_INIT;
	int i;

	run_page(state, "2025-12-18 11:26\nUSD     EUR     RUB\n87.45   "
	    "102.48  1.10\n", &ex);
	assert_no_rates(&ex);
	assert_non_null(ex.not_header);
	extraction_release(&ex);

	/* Nor is the header below the menu taken: it is not the first. */
	run_page(state, "<nav><a>USD</a> <a>EUR</a> <a>RUB</a></nav><div>+3 "
	    "&deg;C</div><div>2025-12-18 11:26</div>USD 87.45 EUR 102.48 RUB "
	    "1.10", &ex);
	assert_no_rates(&ex);
	extraction_release(&ex);

	run_page(state, "2025-12-18 11:26\nUSD 87.45 EUR 102.48 RUB 1 100.10",
	    &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_true(ex.items[2].found);
	assert_null(ex.items[2].rate_text);
	assert_string_equal(ex.items[2].shown, "1 100.10");
	extraction_release(&ex);

	extract_run(builtin(state), nul, sizeof nul - 1, &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_null(ex.items[1].rate_text);
	assert_item(&ex.items[2], "RUB", "1.10");
	extraction_release(&ex);

	run_page(state, "2025-12-18 11:26\n<div data-x=\"USD 1.00 EUR 2.00\">"
	    "</div>USD 87.45 EUR 102.48 RUB 1.10", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);

	run_page(state, "<div>2025-12-18 11:26</div>USD 87.45 <span title=\""
	    "upd 2025-12-01 10:00\"></span>EUR 102.48 RUB 1.10", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);

	/* 90 tags between a code and its number; a 3 KB tag. */
	buf_adds(&b, "USD");
	for (i = 0; i < 45; i++)
		buf_adds(&b, "<i></i>");
	buf_adds(&b, "87.45 EUR <img src=\"data:image/png;base64,");
	for (i = 0; i < 300; i++)
		buf_adds(&b, "AAAAAAAAAA");
	buf_adds(&b, "\">102.48 RUB 1.10");
	run_page(state, b.data, &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);

	/* A time that ends more than 1 KiB above is not the header's. */
	buf_reset(&b);
	buf_adds(&b, "x 2025-12-18 11:26");
	for (i = 0; i < 1030; i++)
		buf_addc(&b, ' ');
	buf_adds(&b, "USD 87.45 EUR 102.48 RUB 1.10");
	run_page(state, b.data, &ex);
	assert_no_time(&ex);
	extraction_release(&ex);

	/* A "<" in text is text: the 5 after it is a number between. */
	run_page(state, "2025-12-18 11:26\nIt is < 5 degrees\nUSD 87.45 EUR "
	    "102.48 RUB 1.10", &ex);
	assert_no_time(&ex);
	extraction_release(&ex);

	/* Windows-1251 no-break spaces. */
	run_page(state, "USD\xa0" "87.45 EUR\xa0" "102.48 RUB\xa0" "1.10", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	extraction_release(&ex);
	buf_release(&b);
}

static void
test_wrong_order(void **state)
{
	struct extraction ex;

	/* EUR before USD ends a block: USD and RUB are the header. */
	run_page(state, " date 2025-12-18 11:26\nEUR 102.48\nUSD 87.45\n"
	    "RUB 1.10\n", &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_false(ex.items[1].found);
	assert_item(&ex.items[2], "RUB", "1.10");
	/* The time is not just above that block: a number is between. */
	assert_no_time(&ex);
	extraction_release(&ex);

	run_page(state, "RUB 1.10\nEUR 102.48\nUSD 87.45\n", &ex);
	assert_no_rates(&ex);
	extraction_release(&ex);
}

/* A partial download that stops inside the header has no rates. */
static void
test_truncated_header(void **state)
{
	struct extraction ex;

	/* A code with nothing after it: in the header, without a number. */
	run_page(state, " date 2025-12-18 11:26\nUSD 87.45\nEUR 102.48\n"
	    "RUB", &ex);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_item(&ex.items[1], "EUR", "102.48");
	assert_true(ex.items[2].found);
	assert_null(ex.items[2].rate_text);
	assert_string_equal(ex.items[2].shown, "");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);

	run_page(state, "", &ex);
	assert_no_rates(&ex);
	assert_no_time(&ex);
	extraction_release(&ex);
}

/* Numbers that are not a rate's shape are not taken in part. */
static void
test_odd_numbers(void **state)
{
	struct extraction ex;

	/* A number too long is taken whole, for record.c to reject. */
	run_page(state, "USD 1234567890.5\nEUR 102.48\nRUB 1.10\n", &ex);
	assert_rates(&ex, "1234567890.5", "102.48", "1.10");
	extraction_release(&ex);

	run_page(state, "USD 87.4512345\nEUR 102.48\nRUB 1.10\n", &ex);
	assert_rates(&ex, "87.4512345", "102.48", "1.10");
	extraction_release(&ex);

	/* XUSD is not USD. */
	run_page(state, "XUSD 87.45\nEUR 102.48\nRUB 1.10\n", &ex);
	assert_false(ex.items[0].found);
	assert_item(&ex.items[1], "EUR", "102.48");
	extraction_release(&ex);

	/* A date after a bare code is no number of it. */
	run_page(state, "<nav>USD EUR RUB</nav>2025-12-18 11:26 USD 87.45 "
	    "EUR 102.48 RUB 1.10", &ex);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_time(&ex, "2025-12-18", "11:26");
	extraction_release(&ex);
}

static void
test_binary_junk(void **state)
{
	static const char frag1[] = "USD\0" "87.45\0EUR 102.48\0RUB\0" "1.10";
	static const char frag2[] = "USD 87.45 \0 EUR 102.48 RUB 1.10";
	char page[4096];
	unsigned x = 12345;
	size_t i;
	struct extraction ex;

	for (i = 0; i < sizeof page; i++) {
		x = x * 1103515245u + 12345u;
		page[i] = (char)(x >> 16);
	}
	/*
	 * Fragments of a header among NUL bytes are no header; a NUL byte
	 * ends a block.
	 */
	memcpy(page + 100, frag1, sizeof frag1 - 1);
	memcpy(page + 1000, frag2, sizeof frag2 - 1);
	extract_run(builtin(state), page, sizeof page, &ex);
	assert_int_equal(ex.nitems, 3);
	assert_false(ex.items[0].found);
	assert_item(&ex.items[1], "EUR", "102.48");
	assert_item(&ex.items[2], "RUB", "1.10");
	assert_no_time(&ex);
	extraction_release(&ex);
}

/* Parse a user config and return its (only added) source. */
static const struct source *
user_source(void **state, const char *text, const char *name)
{
	char *cause = NULL;
	const struct source *src;

	if (config_parse(*state, text, strlen(text), "test.conf", &cause) != 0)
		fail_msg("config_parse: %s", cause);
	if (config_finish(*state, &cause) != 0)
		fail_msg("config_finish: %s", cause);
	src = config_find(*state, name);
	assert_non_null(src);
	return src;
}

/* The rate is group "rate", else group 1, else the whole match. */
static void
test_rate_group_rules(void **state)
{
	const struct source *src;
	struct extraction ex;
	const char *page = "USD is 87.45 today; EUR 102.48; 1.10 RUB";

	src = user_source(state,
	    "[source groups]\n"
	    "url = https://example.com/\n"
	    "currencies = USD EUR RUB\n"
	    "pattern.USD = (USD) is (?<rate>[0-9.]+)\n"
	    "pattern.EUR = EUR ([0-9.]+)\n"
	    "pattern.RUB = [0-9]+\\.[0-9]+(?= RUB)\n", "groups");
	extract_run(src, page, strlen(page), &ex);
	assert_int_equal(ex.nitems, 3);
	assert_rates(&ex, "87.45", "102.48", "1.10");
	assert_string_equal(ex.items[0].match, "USD is 87.45");
	assert_string_equal(ex.items[1].match, "EUR 102.48");
	assert_string_equal(ex.items[2].match, "1.10");
	/* No time pattern: no time, and no error about it. */
	assert_no_time(&ex);
	extraction_release(&ex);
}

static void
test_combined_pattern(void **state)
{
	const struct source *src;
	struct extraction ex;
	const char *page = "CHF=9.99 USD=1.00 EUR=2.00 USD=3.00 EUR=4.00";

	src = user_source(state,
	    "[source combo]\n"
	    "url = https://example.com/rates\n"
	    "currencies = USD EUR GBP\n"
	    "pattern = (?<code>[A-Z]{3})=(?<rate>[0-9]+(?:\\.[0-9]+)?)\n",
	    "combo");
	extract_run(src, page, strlen(page), &ex);
	assert_int_equal(ex.nitems, 3);
	assert_item(&ex.items[0], "USD", "1.00");
	assert_string_equal(ex.items[0].match, "USD=1.00");
	assert_item(&ex.items[1], "EUR", "2.00");
	assert_string_equal(ex.items[1].match, "EUR=2.00");
	assert_string_equal(ex.items[2].code, "GBP");
	assert_false(ex.items[2].found);
	assert_null(ex.items[2].rate_text);
	assert_null(ex.items[2].error);
	extraction_release(&ex);
}

/* A per-currency pattern wins; the combined one serves the rest. */
static void
test_combined_with_per_currency(void **state)
{
	const struct source *src;
	struct extraction ex;
	const char *page = "USD=1.00 EUR=2.00 RUB=0.01 dollar: 5.55";

	src = user_source(state,
	    "[source mixed]\n"
	    "url = https://example.com/\n"
	    "currencies = USD, EUR, RUB\n"
	    "pattern = (?<code>[A-Z]{3})=(?<rate>[0-9.]+)\n"
	    "pattern.USD = dollar: ([0-9.]+)\n", "mixed");
	extract_run(src, page, strlen(page), &ex);
	assert_rates(&ex, "5.55", "2.00", "0.01");
	extraction_release(&ex);

	/* RUB after the end of the block is not taken. */
	page = "USD=1.00 EUR=2.00 dollar: 5.55 RUB=0.01";
	extract_run(src, page, strlen(page), &ex);
	assert_item(&ex.items[0], "USD", "5.55");
	assert_item(&ex.items[1], "EUR", "2.00");
	assert_false(ex.items[2].found);
	extraction_release(&ex);
}

static void
test_user_time_pattern(void **state)
{
	const struct source *src;
	struct extraction ex;
	const char *page = "Rates updated 18.12.2025 at 11:26 -- USD 87.45";

	src = user_source(state,
	    "[source dotted]\n"
	    "url = https://example.com/\n"
	    "currencies = USD\n"
	    "pattern.USD = USD ([0-9.]+)\n"
	    "time_pattern = updated (?<date>[0-9.]{10}) at "
	    "(?<time>[0-9]{2}:[0-9]{2})\n"
	    "date_format = %d.%m.%Y\n"
	    "utc_offset = +05:00\n", "dotted");
	extract_run(src, page, strlen(page), &ex);
	assert_int_equal(ex.nitems, 1);
	assert_item(&ex.items[0], "USD", "87.45");
	assert_time(&ex, "18.12.2025", "11:26");
	assert_string_equal(ex.time_match, "updated 18.12.2025 at 11:26");
	extraction_release(&ex);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 100 KB of 'a' and a 'b': (a|aa)+$ has exponentially many ways to fail. */
static char *
evil_page(size_t *len)
{
	size_t n = 100 * 1024;
	char *page = xmalloc(n + 2);

	memset(page, 'a', n);
	page[n] = 'b';
	page[n + 1] = '\0';
	*len = n + 1;
	return page;
}

static void
test_catastrophic_pattern(void **state)
{
	const struct source *src;
	struct extraction ex;
	struct timespec t0;
	size_t len;
	char *page = evil_page(&len);

	src = user_source(state,
	    "[source evil]\n"
	    "url = https://example.com/\n"
	    "currencies = USD\n"
	    "pattern.USD = (a|aa)+$\n", "evil");
	alarm(120); /* a hang kills the test with SIGALRM */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	extract_run(src, page, len, &ex);
	alarm(0);
	assert_true(seconds_since(&t0) < 30.0);
	assert_int_equal(ex.nitems, 1);
	assert_false(ex.items[0].found);
	assert_null(ex.items[0].rate_text);
	assert_non_null(ex.items[0].error);
	assert_non_null(strstr(ex.items[0].error, "pattern"));
	extraction_release(&ex);
	free(page);
}

/* The same through a combined pattern marks every currency left. */
static void
test_catastrophic_combined(void **state)
{
	const struct source *src;
	struct extraction ex;
	struct timespec t0;
	size_t len;
	char *page = evil_page(&len);

	src = user_source(state,
	    "[source evil2]\n"
	    "url = https://example.com/\n"
	    "currencies = USD EUR\n"
	    "pattern = (?<code>)(?<rate>(a|aa)+$)\n", "evil2");
	alarm(120);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	extract_run(src, page, len, &ex);
	alarm(0);
	assert_true(seconds_since(&t0) < 30.0);
	assert_int_equal(ex.nitems, 2);
	assert_false(ex.items[0].found);
	assert_non_null(ex.items[0].error);
	assert_false(ex.items[1].found);
	assert_non_null(ex.items[1].error);
	extraction_release(&ex);
	free(page);
}

/* A catastrophic time pattern sets time_error and no time. */
static void
test_catastrophic_time_pattern(void **state)
{
	const struct source *src;
	struct extraction ex;
	struct timespec t0;
	size_t len;
	char *page = evil_page(&len);

	src = user_source(state,
	    "[source evil3]\n"
	    "url = https://example.com/\n"
	    "currencies = USD\n"
	    "pattern.USD = (b)\n"
	    "time_pattern = (?<time>(a|aa)+$)\n", "evil3");
	alarm(120);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	extract_run(src, page, len, &ex);
	alarm(0);
	assert_true(seconds_since(&t0) < 30.0);
	assert_true(ex.items[0].found);
	assert_null(ex.items[0].error);
	assert_false(ex.has_time);
	assert_null(ex.time_text);
	assert_non_null(ex.time_error);
	extraction_release(&ex);
	free(page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_header, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_html_entities, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_html_newlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_html_pretty_printed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_deep_indentation,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decimal_comma, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cyrillic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_block, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_header_traps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_first_match_wins, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bytes_after_nul, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_widget_is_not_a_header,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_article_is_not_a_header,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_odd_numbers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_binary_junk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rate_group_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_combined_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_combined_with_per_currency,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_time_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_catastrophic_pattern,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_catastrophic_combined,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_catastrophic_time_pattern,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
