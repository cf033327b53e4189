/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-page"

#include "config.h"

#include <string.h>

#include "pdm-repository.h"
#include "pdm-sync-page.h"

/* Pull answers as another server could write them, read by the engine's
 * reader (pdm-sync-page.c): what it gives must be what the JSON says. */

#define STAMP_A "0190d0a4000000000000000000000001"
#define STAMP_B "0190d0a5000000000000000000000002"

static PdmSyncPage *
parse (const char *text)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return pdm_sync_page_parse (body, NULL);
}

static void
assert_change (PdmSyncPage *page,
               guint        index,
               const char  *table,
               const char  *row,
               const char  *field,
               const char  *stamp,
               const char  *base,
               const char  *value)
{
  const PdmChange *change;

  g_assert_cmpuint (index, <, page->changes->len);
  change = g_ptr_array_index (page->changes, index);
  g_assert_cmpstr (change->table, ==, table);
  g_assert_cmpstr (change->row_id, ==, row);
  g_assert_cmpstr (change->field, ==, field);
  g_assert_cmpstr (change->stamp, ==, stamp);
  g_assert_cmpstr (change->base, ==, base);
  g_assert_cmpstr (change->value, ==, value);
}

static void
test_rows_in_order (void)
{
  g_autoptr(PdmSyncPage) page = parse (
    "{\"cursor\":48211,\"more\":true,\"rows\":["
    "{\"table\":\"household\",\"row\":\"h1\",\"fields\":{"
    "\"address\":[\"" STAMP_B "\",\"" STAMP_A "\",\"Jl. Panorama No. 4\"],"
    "\"rt\":[\"" STAMP_B "\",null,\"004\"]}},"
    "{\"table\":\"person\",\"row\":\"p1\",\"fields\":{"
    "\"full_name\":[\"" STAMP_A "\",null,\"Siti Aminah\"],\"notes\":[\"" STAMP_A "\",null,null]}},"
    "{\"table\":\"household\",\"row\":\"h1\",\"fields\":{"
    "\"rt\":[\"" STAMP_A "\",null,\"005\"]}}],"
    "\"removed\":[{\"table\":\"household\",\"row\":\"h9\"}]}");

  g_assert_nonnull (page);
  g_assert_false (page->reset);
  g_assert_true (page->more);
  g_assert_true (page->has_cursor);
  g_assert_cmpint (page->cursor, ==, 48211);
  g_assert_true (page->has_rows);
  g_assert_cmpuint (page->n_bad, ==, 0);

  /* The writes come out oldest first, as the server sent them. */
  g_assert_cmpuint (page->changes->len, ==, 5);
  assert_change (page, 0, "household", "h1", "address", STAMP_B, STAMP_A, "Jl. Panorama No. 4");
  assert_change (page, 1, "household", "h1", "rt", STAMP_B, NULL, "004");
  assert_change (page, 2, "person", "p1", "full_name", STAMP_A, NULL, "Siti Aminah");
  assert_change (page, 3, "person", "p1", "notes", STAMP_A, NULL, NULL);
  assert_change (page, 4, "household", "h1", "rt", STAMP_A, NULL, "005");

  g_assert_cmpuint (page->removed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (page->removed, 0), ==, "household");
  g_assert_cmpstr (g_ptr_array_index (page->removed, 1), ==, "h9");
}

static void
test_escapes (void)
{
  g_autoptr(PdmSyncPage) page = parse (
    "{\"cursor\":1,\"more\":false,\"rows\":[{\"table\":\"person\",\"row\":\"p\\u0031\","
    "\"fields\":{\"full\\u005fname\":[\"" STAMP_A "\",null,"
    "\"Ren\\u00e9 \\\"Ucok\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\ud83d\\ude00 Ny\u00e2\"]}}]}");

  g_assert_nonnull (page);
  g_assert_cmpuint (page->changes->len, ==, 1);
  assert_change (page, 0, "person", "p1", "full_name", STAMP_A, NULL,
                 "Ren\u00e9 \"Ucok\" \\ / \b\f\n\r\t \U0001F600 Ny\u00e2");
}

static void
test_any_member_order (void)
{
  g_autoptr(PdmSyncPage) page = parse (
    "  {\n \"extra\" : {\"nested\": [1, 2.5e3, {\"a\": [true, false, null]}], \"s\": \"x\"},\n"
    "  \"rows\" : [ { \"fields\" : { \"kk_number\" : [ \"" STAMP_A "\" , null , \"1375\" ] } ,\n"
    "               \"note\" : [ ] , \"row\" : \"h2\" , \"table\" : \"household\" } ] ,\n"
    "  \"more\" : false , \"cursor\" : 7 }  \n");

  g_assert_nonnull (page);
  g_assert_true (page->has_cursor);
  g_assert_cmpint (page->cursor, ==, 7);
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 1);
  assert_change (page, 0, "household", "h2", "kk_number", STAMP_A, NULL, "1375");
}

static void
test_malformed_writes_left_out (void)
{
  g_autoptr(PdmSyncPage) page = parse (
    "{\"cursor\":3,\"more\":false,\"rows\":["
    /* A table nobody keeps: the whole row. */
    "{\"table\":\"secret\",\"row\":\"x\",\"fields\":{\"a\":[\"" STAMP_A "\",null,\"1\"]}},"
    /* No row id, no fields, not an object. */
    "{\"table\":\"person\",\"fields\":{}},"
    "{\"table\":\"person\",\"row\":\"p\"},"
    "[1,2,3],"
    /* One row, its bad writes out and its good ones in. */
    "{\"table\":\"household\",\"row\":\"h\",\"fields\":{"
    "\"colour\":[\"" STAMP_A "\",null,\"red\"],"
    "\"rt\":[\"not a stamp\",null,\"001\"],"
    "\"rw\":[\"" STAMP_A "\",\"" STAMP_B "\",\"002\"],"
    "\"notes\":[\"" STAMP_A "\",null],"
    "\"status\":[\"" STAMP_A "\",null,true],"
    "\"programs\":[\"" STAMP_A "\",null,1.5],"
    "\"address\":\"Jl. Sudirman\","
    "\"desil\":[\"" STAMP_A "\",null,3],"
    "\"head_name\":[\"" STAMP_A "\",null,\"Jamaris\"]}}]}");

  g_assert_nonnull (page);
  g_assert_cmpuint (page->n_bad, ==, 4 + 7);

  /* A whole number is taken as its digits, as json-glib gave it. */
  g_assert_cmpuint (page->changes->len, ==, 2);
  assert_change (page, 0, "household", "h", "desil", STAMP_A, NULL, "3");
  assert_change (page, 1, "household", "h", "head_name", STAMP_A, NULL, "Jamaris");
}

static void
test_reset_and_bad_removals (void)
{
  g_autoptr(PdmSyncPage) reset = parse ("{\"reset\": true}");
  g_autoptr(PdmSyncPage) page = parse (
    "{\"cursor\":\"12\",\"rows\":{},\"removed\":[{\"table\":\"person\"},7,"
    "{\"table\":\"visit\",\"row\":\"v\"}]}");

  g_assert_nonnull (reset);
  g_assert_true (reset->reset);
  g_assert_false (reset->has_cursor);

  /* Mistyped members are left for the engine to refuse. */
  g_assert_nonnull (page);
  g_assert_false (page->has_cursor);
  g_assert_false (page->has_rows);
  g_assert_cmpuint (page->removed->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (page->removed, 0), ==, "person");
  g_assert_null (g_ptr_array_index (page->removed, 1));
  g_assert_null (g_ptr_array_index (page->removed, 2));
  g_assert_null (g_ptr_array_index (page->removed, 3));
  g_assert_cmpstr (g_ptr_array_index (page->removed, 4), ==, "visit");
  g_assert_cmpstr (g_ptr_array_index (page->removed, 5), ==, "v");
}

static void
test_not_json_refused (void)
{
  static const char * const texts[] = {
    "",
    "[]",
    "{\"cursor\":1,\"rows\":[",
    "{\"cursor\":1} trailing",
    "{\"cursor\":01}",
    "{\"cursor\":1,}",
    "{'cursor':1}",
    "{\"rows\":[{\"table\":\"person\",\"row\":\"p\",\"fields\":{\"full_name\":"
    "[\"" STAMP_A "\",null,\"tab\there\"]}}]}",
    "{\"s\":\"\\ud83d alone\"}",
    "{\"s\":\"\\x41\"}",
    "{\"s\":\"\xc3\x28\"}",
    "{\"s\":tru}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(PdmSyncPage) page = parse (texts[i]);

      if (page != NULL)
        g_error ("“%s” was read as a page", texts[i]);
    }
}

/* A deep nest in a member nobody reads is refused, not followed until the
 * stack runs out. */
static void
test_deep_nesting_refused (void)
{
  g_autoptr(GString) text = g_string_new ("{\"x\":");
  g_autoptr(PdmSyncPage) page = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');

  page = parse (text->str);
  g_assert_null (page);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-page/rows-in-order", test_rows_in_order);
  g_test_add_func ("/sync-page/escapes", test_escapes);
  g_test_add_func ("/sync-page/any-member-order", test_any_member_order);
  g_test_add_func ("/sync-page/malformed-writes-left-out", test_malformed_writes_left_out);
  g_test_add_func ("/sync-page/reset-and-bad-removals", test_reset_and_bad_removals);
  g_test_add_func ("/sync-page/not-json-refused", test_not_json_refused);
  g_test_add_func ("/sync-page/deep-nesting-refused", test_deep_nesting_refused);

  return g_test_run ();
}
