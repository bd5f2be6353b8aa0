// SPDX-License-Identifier: GPL-2.0
/* The output layer: JSON parsed back, text made safe */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "oomctl.h"
#include "output.h"
#include "settings.h"
#include "tap.h"

static void all_types(FILE *f, void *arg)
{
	bool pretty = arg != NULL;

	out_init(f, true, pretty);
	out_begin();
	out_u64("u", "%llu", UINT64_MAX);
	out_s64("s", "%lld", INT64_MIN);
	out_bool("t", "%s", true);
	out_bool("f", "%s", false);
	out_str("quote", "%s", "say \"hi\" \\ back/slash");
	out_str("ctl", "%s", "tab\there\nnl\x01\x1f\x7f");
	out_str("utf8", "%s", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	out_str("bad-utf8", "%s", "\xff\xfe \xc3 \xe2\x82 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80");
	out_str("empty", "%s", "");
	out_obj_begin("nested");
	out_arr_begin("list");
	for (int i = 0; i < 3; i++) {
		out_obj_begin(NULL);
		out_u64("i", NULL, (uint64_t)i);
		out_obj_end();
	}
	out_arr_end();
	out_arr_begin("none");
	out_arr_end();
	out_obj_end();
	out_text("text only: must not appear\n");
	out_end();
}

static void full_event(struct event *ev, enum ev_type type)
{
	event_init(ev, type, "netlink");
	ev->has_seq = ev->has_ts = true;
	ev->seq = 41 + type;
	ev->ts_ns = 123456789012ULL;
	for (int f = 0; f < NFIELDS; f++)
		event_set(ev, f, f == F_OOM_SCORE_ADJ ? (uint64_t)-1000 : (uint64_t)f % 2);
	snprintf(ev->comm, sizeof(ev->comm), "evil\"\x1b[2J\xff name");
}

static void print_event(FILE *f, void *arg)
{
	struct event *ev = arg;

	out_init(f, ev->origin[0] == 'n', false);
	event_print(ev, true);
}

static void print_text_event(FILE *f, void *arg)
{
	out_init(f, false, false);
	event_print(arg, false);
}

static void print_policy(FILE *f, void *arg)
{
	struct policy p = { .val = { 2000, 1, 1 }, .have = 7, .delay_max_ms = 10000 };

	out_init(f, arg != NULL, false);
	out_begin();
	policy_print(&p, false);
	out_end();
}

/* Three buckets as a kernel could bound them, the last one open */
static void print_stats(FILE *f, void *arg)
{
	struct oom_stats st = {
		.have = 1u << OOM_A_STATS_VICTIMS,
		.hist = { { 0, 2, 0, true }, { 2, 1500, 4, true }, { 1500, 0, 2, false } },
		.nhist = 3,
	};

	st.count[OOM_A_STATS_VICTIMS] = 6;
	out_init(f, arg != NULL, false);
	out_begin();
	stats_print(&st, false);
	out_end();
}

void test_json(void)
{
	char *s;
	struct event ev;
	char buf[64];

	static const char good[] = "{\"a\":[1,-2.5e3,true,null,\"x\\u00e9\"],\"b\":{}}";

	ok(json_valid(good, sizeof(good) - 1) &&
	   !json_valid("{\"a\":1,}", 8) && !json_valid("{'a':1}", 7) &&
	   !json_valid("[1 2]", 5) && !json_valid("\"\x01\"", 3) && !json_valid("01", 2) &&
	   !json_valid("{\"a\":1}{", 8) && !json_valid("\"\xff\"", 3),
	   "the test's JSON validator accepts JSON and rejects near misses");

	s = capture(all_types, NULL);
	ok(json_valid(s, strlen(s)), "every value type, hostile strings: valid JSON");
	ok(strstr(s, "\"u\":18446744073709551615") && strstr(s, "\"s\":-9223372036854775808") &&
	   strstr(s, "\"t\":true") && strstr(s, "\"f\":false"),
	   "numbers as numbers, booleans as booleans");
	ok(strstr(s, "\\\"hi\\\" \\\\ back") && strstr(s, "\\u0001") && strstr(s, "\\n") &&
	   strstr(s, "\\u007f"), "quotes, backslashes and control characters escaped");
	ok(strstr(s, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") != NULL, "valid UTF-8 kept as is");
	ok(strstr(s, "\"\\ufffd\\ufffd \\ufffd") != NULL, "invalid UTF-8 replaced by U+FFFD");
	ok(!strstr(s, "text only") && s[strlen(s) - 1] == '\n' && !strchr(s, '\n')[1],
	   "JSON mode: no text, one line ending in a newline");
	free(s);
	s = capture(all_types, "pretty");
	ok(json_valid(s, strlen(s)) && strstr(s, "\n  \"u\": "), "-p: indented, still valid");
	free(s);

	for (enum ev_type t = 0; t < EV_NTYPES; t++) {
		full_event(&ev, t);
		s = capture(print_event, &ev);
		ok(json_valid(s, strlen(s)) && strchr(s, '\n') == s + strlen(s) - 1,
		   "monitor -j %s event: one valid JSON object on one line", ev_type_names[t]);
		free(s);
	}
	full_event(&ev, EV_VICTIM);
	s = capture(print_event, &ev);
	ok(strstr(s, "{\"type\":\"victim\",\"seq\":41,\"ts_mono_ns\":123456789012,\"time\":\"") == s,
	   "victim: type, seq, ts_mono_ns, time come first");
	ok(strstr(s, "\"oom_score_adj\":-1000") && strstr(s, "\"frozen\":false") &&
	   strstr(s, "\"pid\":0") && strstr(s, "\"origin\":\"netlink\""),
	   "signed, boolean and numeric fields typed");
	{
		const char *t = strstr(s, "\"time\":\"") + 8;

		ok(strlen(t) > 27 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
		   t[19] == '.' && t[26] == 'Z', "time is ISO 8601 UTC with microseconds: %.27s", t);
	}
	free(s);
	/* Any u64 a kernel or a trace line gives: a real date, no overflow */
	for (int i = 0; i < 2; i++) {
		static const uint64_t stamps[] = { 9223372037000000000ULL, UINT64_MAX };
		const char *t;
		char want[48];

		full_event(&ev, EV_VICTIM);
		ev.ts_ns = stamps[i];
		s = capture(print_event, &ev);
		snprintf(want, sizeof(want), "\"ts_mono_ns\":%llu,", (unsigned long long)stamps[i]);
		t = strstr(s, "\"time\":\"") + 8;
		ok(json_valid(s, strlen(s)) && strstr(s, want) && t[4] == '-' && t[26] == 'Z' &&
		   strncmp(t, "2262", 4) >= 0 && strncmp(t, "2700", 4) < 0,
		   "ts_mono_ns %llu: time %.27s, 292 to 585 years after boot",
		   (unsigned long long)stamps[i], t);
		free(s);
	}
	event_init(&ev, EV_REAP_DONE, "netlink");
	event_set(&ev, F_RESULT, 7);
	event_set(&ev, F_SOURCE, 1);
	s = capture(print_event, &ev);
	ok(json_valid(s, strlen(s)) && strstr(s, "\"result\":7") &&
	   strstr(s, "\"source\":\"process-mrelease\"") && !strstr(s, "\"seq\""),
	   "an enum value from a newer kernel is a number; no seq without one");
	free(s);

	full_event(&ev, EV_VICTIM);
	s = capture(print_text_event, &ev);
	ok(!strncmp(s, "victim seq=41 pid=0 ", 20) && strstr(s, " oom_score_adj=-1000") &&
	   strstr(s, " frozen=off"), "text line: type, seq, key=value: %.40s", s);
	ok(strstr(s, "comm=evil\"\\x1b[2J\\xff\\x20name ") && !strchr(s, '\x1b'),
	   "text: a hostile comm cannot reach the terminal raw");
	free(s);

	event_init(&ev, EV_LOST, "tracefs");
	event_set(&ev, F_COUNT, 3);
	event_set(&ev, F_LOST_REASON, LOST_SEQ_GAP);
	s = capture(print_text_event, &ev);
	ok(!strcmp(s, "lost 3 events (seq-gap)\n"), "text: lost 3 events (seq-gap): %s", s);
	free(s);
	ev.have &= ~(1ULL << F_COUNT);
	event_set(&ev, F_LOST_REASON, LOST_OVERRUN);
	s = capture(print_text_event, &ev);
	ok(!strcmp(s, "lost events (overrun)\n"), "text: an unknown count: %s", s);
	free(s);

	s = capture(print_policy, "json");
	ok(json_valid(s, strlen(s)) && strstr(s, "\"delay_ms\":2000") &&
	   strstr(s, "\"frozen_bypass\":true") && strstr(s, "\"order\":\"reverse\"") &&
	   strstr(s, "\"delay_max_ms\":10000"), "show -j: %s", s);
	free(s);
	s = capture(print_policy, NULL);
	ok(strstr(s, "SETTING") && strstr(s, "delay           2000 ms (max 10000)\n") &&
	   strstr(s, "frozen-bypass   on\n") && strstr(s, "order           reverse\n"),
	   "show: the text table");
	free(s);

	s = capture(print_stats, "json");
	ok(json_valid(s, strlen(s)) && strstr(s, "\"victims\":6") &&
	   strstr(s, "\"latency_hist\":[{\"from_us\":0,\"to_us\":2,\"count\":0},"
		     "{\"from_us\":2,\"to_us\":1500,\"count\":4},{\"from_us\":1500,\"count\":2}]"),
	   "stats -j: the kernel's bucket bounds as from_us/to_us, no to_us for the open one: %s", s);
	free(s);
	s = capture(print_stats, NULL);
	ok(strstr(s, "victims                           6\n") &&
	   strstr(s, "      2us .. 1.5ms            4 ########################################\n") &&
	   strstr(s, "    1.5ms ..                  2 ####################\n") &&
	   !strstr(s, "0us .."), "stats: bars between the kernel's bounds, from the first used bucket");
	free(s);

	ok(!strcmp(text_sanitize("a b\\c", true, buf, sizeof(buf)), "a\\x20b\\x5cc") &&
	   !strcmp(text_sanitize("a b", false, buf, sizeof(buf)), "a b"),
	   "text_sanitize escapes backslashes, and spaces if asked");
	ok(strlen(text_sanitize("\x01\x01\x01\x01\x01\x01\x01\x01", true, buf, 12)) < 12,
	   "text_sanitize stays in its buffer");
}
