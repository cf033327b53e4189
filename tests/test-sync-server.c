/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-server"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-hlc.h"
#include "pdm-test-process.h"
#include "pdm-test-util.h"
#include "pdm-training.h"

/* The sync endpoints of a real pendamping-server, spoken to in raw HTTP and
 * JSON as docs/sync-protocol.md writes them, so the protocol itself is what
 * is tested. */

#define KEL_A "13.75.02.1002"   /* Campago Ipuh */
#define KEL_B "13.75.01.1001"   /* Tarok Dipo */

#define CITY_DEVICE "00000000000000c1"
#define A_DEVICE    "00000000000000a1"
#define B_DEVICE    "00000000000000b1"

typedef struct
{
  guint       status;
  char       *content_encoding;
  JsonObject *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_free (answer->content_encoding);
  g_clear_pointer (&answer->body, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

typedef enum
{
  SEND_PLAIN = 0,
  SEND_GZIP = 1 << 0,         /* compress the body, say Content-Encoding: gzip */
  SEND_NO_PROTOCOL = 1 << 1,  /* leave X-Pendamping-Protocol out */
  SEND_OLD_PROTOCOL = 1 << 2, /* claim protocol 0 */
  ACCEPT_GZIP = 1 << 3,
} SendFlags;

static GBytes *
convert (GConverter *converter,
         GBytes     *data)
{
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (source, converter);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static GBytes *
gzip (GBytes *data)
{
  g_autoptr(GZlibCompressor) compressor =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);

  return convert (G_CONVERTER (compressor), data);
}

static GBytes *
gunzip (GBytes *data)
{
  g_autoptr(GZlibDecompressor) decompressor =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

  return convert (G_CONVERTER (decompressor), data);
}

/* One request; the answer must be a JSON object whatever the status. */
static void
send_request (PdmTestProcess *server,
              const char     *method,
              const char     *path,
              const char     *token,
              GBytes         *body,
              SendFlags       flags,
              Answer         *answer)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (msg);
  SoupMessageHeaders *headers;
  JsonNode *root;

  /* The raw bytes on the wire: whether the server compressed is checked. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);

  if (!(flags & SEND_NO_PROTOCOL))
    soup_message_headers_replace (request_headers, "X-Pendamping-Protocol",
                                  (flags & SEND_OLD_PROTOCOL) ? "0"
                                  : G_STRINGIFY (PDM_PROTOCOL_VERSION));
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (request_headers, "Authorization", authorization);
    }
  if (flags & ACCEPT_GZIP)
    soup_message_headers_replace (request_headers, "Accept-Encoding", "gzip");

  if (body != NULL)
    {
      g_autoptr(GBytes) sent = (flags & SEND_GZIP) ? gzip (body) : g_bytes_ref (body);

      if (flags & SEND_GZIP)
        soup_message_headers_replace (request_headers, "Content-Encoding", "gzip");
      soup_message_set_request_body_from_bytes (msg, "application/json", sent);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  answer->status = soup_message_get_status (msg);
  answer->content_encoding = g_strdup (soup_message_headers_get_one (headers,
                                                                     "Content-Encoding"));
  if (g_strcmp0 (answer->content_encoding, "gzip") == 0)
    {
      GBytes *plain = gunzip (bytes);

      g_bytes_unref (bytes);
      bytes = plain;
    }

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  answer->body = json_object_ref (json_node_get_object (root));
}

static void
send_text (PdmTestProcess *server,
           const char     *path,
           const char     *token,
           const char     *text,
           SendFlags       flags,
           Answer         *answer)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  send_request (server, "POST", path, token, body, flags, answer);
}

static void
assert_error (const Answer *answer,
              guint         status,
              const char   *code)
{
  g_assert_cmpuint (answer->status, ==, status);
  g_assert_cmpstr (json_object_get_string_member (answer->body, "error"), ==, code);
  g_assert_true (json_object_has_member (answer->body, "message"));
}

/* A code made the way the Dinas makes one: with the enroll command. */
static char *
make_code (PdmTestProcess *server,
           const char     *kelurahan)
{
  const char *args[] = { "enroll", "--data-dir", server->data_dir,
                         kelurahan != NULL ? "--kelurahan" : "--dinas", kelurahan, NULL };
  g_autoptr(GRegex) regex = g_regex_new ("\\b([2-9A-Z]{4}-[2-9A-Z]{4})\\b", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pdm_test_process_run (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_regex_match (regex, out, 0, &match));

  return g_match_info_fetch (match, 1);
}

static void
enroll_with (PdmTestProcess *server,
             const char     *code,
             const char     *device_id,
             Answer         *answer)
{
  g_autofree char *body = g_strdup_printf ("{\"code\": \"%s\", \"device_id\": \"%s\", "
                                           "\"device_name\": \"PC %s\"}",
                                           code, device_id, device_id);

  send_text (server, "/api/v1/enroll", NULL, body, SEND_PLAIN, answer);
}

/* A device of @kelurahan (NULL for the Dinas), enrolled; its token. */
static char *
enroll (PdmTestProcess *server,
        const char     *kelurahan,
        const char     *device_id)
{
  g_autofree char *code = make_code (server, kelurahan);
  g_auto(Answer) answer = { 0, };
  JsonObject *scope;

  enroll_with (server, code, device_id, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer.body, "device_id"), ==, device_id);
  scope = json_object_get_object_member (answer.body, "scope");
  g_assert_cmpstr (json_object_get_string_member_with_default (scope, "kelurahan_code", NULL),
                   ==, kelurahan);

  return g_strdup (json_object_get_string_member (answer.body, "token"));
}

/* Mutation ids: this moment's HLC, @offset_ms later, plus a counter. */
static char *
mutation_id (gint64 offset_ms)
{
  static guint16 counter;

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x",
                          pdm_hlc_pack (g_get_real_time () / 1000 + offset_ms, ++counter));
}

/* Appends {"id", "table", "row", "fields": {name: {"value", "base": null}}}
 * for NULL-terminated name, value pairs; returns the id. */
static char *
add_mutation (GString    *batch,
              gint64      offset_ms,
              const char *table,
              const char *row,
              ...)
{
  char *id = mutation_id (offset_ms);
  const char *field;
  gboolean first = TRUE;
  va_list args;

  if (batch->len > 0)
    g_string_append (batch, ", ");
  g_string_append_printf (batch, "{\"id\": \"%s\", \"table\": \"%s\", \"row\": \"%s\", "
                          "\"fields\": {", id, table, row);

  va_start (args, row);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_string_append_printf (batch, "%s\"%s\": {\"value\": \"%s\", \"base\": null}",
                              first ? "" : ", ", field, value);
      first = FALSE;
    }
  va_end (args);

  g_string_append (batch, "}}");

  return id;
}

/* Appends an edit of one field by a writer who had seen @base. */
static char *
add_edit (GString    *batch,
          const char *table,
          const char *row,
          const char *field,
          const char *value,
          const char *base)
{
  char *id = mutation_id (0);

  if (batch->len > 0)
    g_string_append (batch, ", ");
  g_string_append_printf (batch, "{\"id\": \"%s\", \"table\": \"%s\", \"row\": \"%s\", "
                          "\"fields\": {\"%s\": {\"value\": \"%s\", \"base\": \"%s\"}}}",
                          id, table, row, field, value, base);

  return id;
}

static char *
push_body (GString *mutations)
{
  return g_strdup_printf ("{\"schema_version\": %d, \"mutations\": [%s]}",
                          PDM_RECORD_SCHEMA_VERSION, mutations->str);
}

static void
push (PdmTestProcess *server,
      const char     *token,
      GString        *mutations,
      SendFlags       flags,
      Answer         *answer)
{
  g_autofree char *body = push_body (mutations);

  send_text (server, "/api/v1/push", token, body, flags, answer);
}

/* Everything a device receives from @cursor on, page by page. */
typedef struct
{
  GPtrArray *changes;   /* JsonObject */
  /* The writes of the forms shipped with the server (PDM_SHIPPED_STAMP),
   * which every device receives once, apart from what the tests wrote. */
  GPtrArray *shipped;   /* JsonObject */
  GPtrArray *removed;   /* JsonObject */
  guint      n_pages;
  gint64     cursor;
} Pulled;

static void
pulled_clear (Pulled *pulled)
{
  g_clear_pointer (&pulled->changes, g_ptr_array_unref);
  g_clear_pointer (&pulled->shipped, g_ptr_array_unref);
  g_clear_pointer (&pulled->removed, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pulled, pulled_clear)

/* How many rows of a pull page are of @table. */
static guint
count_rows (JsonArray  *rows,
            const char *table)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                    "table"),
                     table))
      n++;

  return n;
}

/* Unfolds one row of a pull page into one object per field write, with
 * the members "table", "row", "field", "stamp", "base" and "value"; the
 * writes of shipped forms go to @shipped. */
static void
add_row_changes (GPtrArray  *changes,
                 GPtrArray  *shipped,
                 JsonObject *row)
{
  JsonObject *fields = json_object_get_object_member (row, "fields");
  JsonObjectIter iter;
  const char *field;
  JsonNode *node;

  g_assert_nonnull (json_object_get_string_member (row, "table"));
  g_assert_nonnull (json_object_get_string_member (row, "row"));
  g_assert_nonnull (fields);
  g_assert_cmpuint (json_object_get_size (fields), >, 0);

  json_object_iter_init_ordered (&iter, fields);
  while (json_object_iter_next_ordered (&iter, &field, &node))
    {
      JsonArray *version = json_node_get_array (node);
      JsonObject *change = json_object_new ();

      g_assert_cmpuint (json_array_get_length (version), ==, 3);
      json_object_set_string_member (change, "table", json_object_get_string_member (row, "table"));
      json_object_set_string_member (change, "row", json_object_get_string_member (row, "row"));
      json_object_set_string_member (change, "field", field);
      json_object_set_member (change, "stamp", json_array_dup_element (version, 0));
      json_object_set_member (change, "base", json_array_dup_element (version, 1));
      json_object_set_member (change, "value", json_array_dup_element (version, 2));
      if (g_strcmp0 (json_array_get_string_element (version, 0), PDM_SHIPPED_STAMP) == 0)
        g_ptr_array_add (shipped, change);
      else
        g_ptr_array_add (changes, change);
    }
}

static void
pull_all (PdmTestProcess *server,
          const char     *token,
          gint64          cursor,
          guint           limit,
          Pulled         *pulled)
{
  gboolean more = TRUE;

  pulled->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  pulled->shipped = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  pulled->removed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=%u", cursor, limit);
      g_auto(Answer) answer = { 0, };
      JsonArray *rows, *removed;
      guint n_changes;
      gint64 next;

      send_request (server, "GET", path, token, NULL, ACCEPT_GZIP, &answer);
      g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
      g_assert_false (json_object_get_boolean_member_with_default (answer.body, "reset", FALSE));

      rows = json_object_get_array_member (answer.body, "rows");
      removed = json_object_get_array_member (answer.body, "removed");
      n_changes = pulled->changes->len + pulled->shipped->len;
      for (guint i = 0; i < json_array_get_length (rows); i++)
        add_row_changes (pulled->changes, pulled->shipped,
                         json_array_get_object_element (rows, i));
      g_assert_cmpuint (pulled->changes->len + pulled->shipped->len - n_changes, <=, limit);
      for (guint i = 0; i < json_array_get_length (removed); i++)
        g_ptr_array_add (pulled->removed,
                         json_object_ref (json_array_get_object_element (removed, i)));

      next = json_object_get_int_member (answer.body, "cursor");
      more = json_object_get_boolean_member (answer.body, "more");
      g_assert_cmpint (next, >=, cursor);
      g_assert_true (!more || next > cursor);
      cursor = next;
      pulled->n_pages++;
      g_assert_cmpuint (pulled->n_pages, <, 1000);
    }

  pulled->cursor = cursor;
}

/* How many pulled changes are of @row (and @field, unless NULL). */
static guint
count_changes (GPtrArray  *changes,
               const char *row,
               const char *field)
{
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "row"), row) &&
          (field == NULL || g_strcmp0 (json_object_get_string_member (change, "field"),
                                       field) == 0))
        n++;
    }

  return n;
}

static const char *
pulled_value (GPtrArray  *changes,
              const char *row,
              const char *field)
{
  const char *value = NULL;
  const char *best = "";

  /* The value of the greatest stamp, as every replica's merge picks it. */
  for (guint i = 0; i < changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (changes, i);
      const char *stamp = json_object_get_string_member (change, "stamp");

      if (g_str_equal (json_object_get_string_member (change, "row"), row) &&
          g_str_equal (json_object_get_string_member (change, "field"), field) &&
          strcmp (stamp, best) > 0)
        {
          best = stamp;
          value = json_object_get_string_member (change, "value");
        }
    }

  return value;
}

/* The push answer refused exactly @expected, {id, reason} pairs in the
 * order sent, each with a message. */
static void
assert_refused (JsonObject  *answer,
                const char  *expected[][2],
                guint        n_expected)
{
  JsonArray *refused = json_object_get_array_member (answer, "refused");

  g_assert_cmpuint (json_array_get_length (refused), ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      JsonObject *item = json_array_get_object_element (refused, i);

      g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (item, "reason"), ==, expected[i][1]);
      g_assert_cmpstr (json_object_get_string_member (item, "message"), !=, "");
    }
}

static void
test_enroll (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *code = make_code (server, KEL_A);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_auto(Answer) first = { 0, };
  g_auto(Answer) replay = { 0, };
  g_auto(Answer) unknown = { 0, };
  g_auto(Answer) bad_id = { 0, };
  const char *token;

  enroll_with (server, code, A_DEVICE, &first);
  g_assert_cmpuint (first.status, ==, SOUP_STATUS_OK);
  token = json_object_get_string_member (first.body, "token");
  g_assert_true (g_str_has_prefix (token, "pdm1_"));
  g_assert_cmpuint (strlen (token), >=, 40);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (first.body,
                                                                         "server_id")));

  /* One device per code, typed in whatever case. */
  enroll_with (server, lower, B_DEVICE, &replay);
  assert_error (&replay, SOUP_STATUS_FORBIDDEN, "enrollment-refused");

  enroll_with (server, "ABCD-EFGH", B_DEVICE, &unknown);
  assert_error (&unknown, SOUP_STATUS_FORBIDDEN, "enrollment-refused");

  enroll_with (server, code, "not-hex", &bad_id);
  assert_error (&bad_id, SOUP_STATUS_BAD_REQUEST, "bad-request");
}

static void
test_unauthorized (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *city = enroll (server, NULL, CITY_DEVICE);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  const char *revoke_args[] = { "revoke", A_DEVICE, "--data-dir", server->data_dir, NULL };
  const char *devices_args[] = { "devices", "--data-dir", server->data_dir, NULL };
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *id = add_mutation (batch, 0, "household", "h-1",
                                      "kelurahan_code", KEL_A, NULL);
  g_auto(Answer) missing = { 0, };
  g_auto(Answer) wrong = { 0, };
  g_auto(Answer) revoked = { 0, };
  g_auto(Answer) revoked_pull = { 0, };
  g_auto(Pulled) pulled = { 0, };
  g_autofree char *out = NULL;

  push (server, NULL, batch, SEND_PLAIN, &missing);
  assert_error (&missing, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  push (server, "pdm1_0000", batch, SEND_PLAIN, &wrong);
  assert_error (&wrong, SOUP_STATUS_UNAUTHORIZED, "unauthorized");

  g_assert_cmpint (pdm_test_process_run (revoke_args, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (pdm_test_process_run (devices_args, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, A_DEVICE));
  g_assert_nonnull (strstr (out, "revoked"));

  push (server, token, batch, SEND_PLAIN, &revoked);
  assert_error (&revoked, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  send_request (server, "GET", "/api/v1/pull", token, NULL, SEND_PLAIN, &revoked_pull);
  assert_error (&revoked_pull, SOUP_STATUS_UNAUTHORIZED, "unauthorized");

  /* Nothing of the refused pushes reached the server. */
  pull_all (server, city, 0, 5000, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 0);
}

static void
test_push_idempotent (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *id1 = add_mutation (batch, 0, "household", "h-1",
                                       "kelurahan_code", KEL_A, "head_name", "Masrizal",
                                       "desil", "3", NULL);
  g_autofree char *id2 = add_mutation (batch, 0, "person", "p-1",
                                       "household_id", "h-1", "full_name", "Yusmaniar", NULL);
  g_autofree char *id3 = add_mutation (batch, 0, "visit", "v-1",
                                       "household_id", "h-1", "kind", "rutin", NULL);
  g_auto(Answer) first = { 0, };
  g_auto(Answer) second = { 0, };
  g_auto(Pulled) pulled = { 0, };

  push (server, token, batch, SEND_PLAIN, &first);
  g_assert_cmpuint (first.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (first.body, "applied_through"), ==, id3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first.body, "refused")),
                    ==, 0);

  /* The answer was lost; the device sends the batch again. */
  push (server, token, batch, SEND_PLAIN, &second);
  g_assert_cmpuint (second.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (second.body, "applied_through"), ==, id3);

  pull_all (server, token, 0, 5000, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 7);
  g_assert_cmpuint (count_changes (pulled.changes, "h-1", "head_name"), ==, 1);
  g_assert_cmpuint (count_changes (pulled.changes, "p-1", NULL), ==, 2);
  g_assert_cmpuint (count_changes (pulled.changes, "v-1", NULL), ==, 2);
  g_assert_cmpstr (pulled_value (pulled.changes, "h-1", "desil"), ==, "3");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (g_ptr_array_index (pulled.changes, 0),
                                                                  "stamp"), id1));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (g_ptr_array_index (pulled.changes, 0),
                                                                  "stamp"), A_DEVICE));
}

static void
test_refused_alone (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autofree char *city = enroll (server, NULL, CITY_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *ok1 = add_mutation (batch, 0, "household", "h-a",
                                       "kelurahan_code", KEL_A, NULL);
  g_autofree char *other = add_mutation (batch, 0, "household", "h-b",
                                         "kelurahan_code", KEL_B, NULL);
  g_autofree char *desil = add_mutation (batch, 0, "household", "h-a", "desil", "11", NULL);
  g_autofree char *table = add_mutation (batch, 0, "spaceship", "s-1", "name", "x", NULL);
  g_autofree char *field = add_mutation (batch, 0, "household", "h-a", "colour", "red", NULL);
  g_autofree char *ok2 = add_mutation (batch, 0, "person", "p-a",
                                       "household_id", "h-a", "full_name", "Irwan", NULL);
  const char *expected[][2] = {
    { other, "out-of-scope" }, { desil, "invalid-value" }, { table, "unknown-table" },
    { field, "unknown-field" },
  };
  g_auto(Answer) answer = { 0, };
  g_auto(Pulled) pulled = { 0, };

  push (server, token, batch, SEND_PLAIN, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer.body, "applied_through"), ==, ok2);

  assert_refused (answer.body, expected, G_N_ELEMENTS (expected));

  pull_all (server, city, 0, 5000, &pulled);
  g_assert_cmpuint (count_changes (pulled.changes, "h-a", NULL), ==, 1);
  g_assert_cmpuint (count_changes (pulled.changes, "p-a", NULL), ==, 2);
  g_assert_cmpuint (count_changes (pulled.changes, "h-b", NULL), ==, 0);
  g_assert_cmpuint (pulled.changes->len, ==, 3);
}

static void
test_clock_ahead (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *now = add_mutation (batch, 0, "household", "h-1",
                                       "kelurahan_code", KEL_A, NULL);
  g_autofree char *ahead = add_mutation (batch, 3600 * 1000, "household", "h-1",
                                         "head_name", "Jamaris", NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Pulled) pulled = { 0, };
  gint64 server_time;

  push (server, token, batch, SEND_PLAIN, &answer);
  assert_error (&answer, SOUP_STATUS_CONFLICT, "clock-ahead");
  server_time = json_object_get_int_member (answer.body, "server_time");
  g_assert_cmpint (ABS (server_time - g_get_real_time () / 1000), <, 60 * 1000);

  pull_all (server, token, 0, 5000, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 0);
}

/* Pull pages are written by hand: values with quotes, backslashes,
 * control characters and non-ASCII text come back as they went in, and a
 * field written twice in a row arrives twice (a JSON object could hold it
 * only once). */
static void
test_pull_rows (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *first = add_mutation (batch, 0, "household", "h-1", "kelurahan_code", KEL_A,
                                         "address", "Jl. \\\"Merdeka\\\" \\\\ 5\\nRT\\t01 \\u0001 \u00e9",
                                         NULL);
  g_autofree char *second = add_mutation (batch, 1, "household", "h-1", "rt", "004", NULL);
  g_autofree char *third = add_mutation (batch, 2, "household", "h-1", "rt", "005", NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Answer) page = { 0, };
  g_auto(Pulled) pulled = { 0, };

  push (server, token, batch, SEND_PLAIN, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);

  pull_all (server, token, 0, 5000, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 4);
  g_assert_cmpstr (pulled_value (pulled.changes, "h-1", "address"), ==,
                   "Jl. \"Merdeka\" \\ 5\nRT\t01 \001 \u00e9");
  g_assert_cmpuint (count_changes (pulled.changes, "h-1", "rt"), ==, 2);
  g_assert_cmpstr (pulled_value (pulled.changes, "h-1", "rt"), ==, "005");

  /* kelurahan_code, address and the first rt share an object; the second
   * rt opens another. */
  send_request (server, "GET", "/api/v1/pull?cursor=0", token, NULL, SEND_PLAIN, &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (count_rows (json_object_get_array_member (page.body, "rows"), "household"),
                    ==, 2);
}

static void
test_pull_pages (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Pulled) pulled = { 0, };
  g_auto(Pulled) rest = { 0, };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *row = g_strdup_printf ("h-%02u", i);
      g_autofree char *id = add_mutation (batch, 0, "household", row, "kelurahan_code", KEL_A,
                                          "head_name", "Nama", "rt", "001", NULL);
    }
  push (server, token, batch, SEND_PLAIN, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);

  pull_all (server, token, 0, 10, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 75);
  g_assert_cmpuint (pulled.n_pages, ==, (75 + pulled.shipped->len + 9) / 10);
  for (guint i = 0; i < pulled.changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (pulled.changes, i);
      g_autofree char *key = g_strconcat (json_object_get_string_member (change, "row"), "/",
                                          json_object_get_string_member (change, "field"), NULL);

      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, g_steal_pointer (&key));
    }

  /* From the last cursor there is nothing new. */
  pull_all (server, token, pulled.cursor, 10, &rest);
  g_assert_cmpuint (rest.changes->len, ==, 0);
}

static void
assert_all_rows_contain (GPtrArray  *changes,
                         const char *part)
{
  for (guint i = 0; i < changes->len; i++)
    g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (changes, i),
                                                             "row"),
                              part));
}

static void
test_scope (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *city = enroll (server, NULL, CITY_DEVICE);
  g_autofree char *a = enroll (server, KEL_A, A_DEVICE);
  g_autofree char *b = enroll (server, KEL_B, B_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Pulled) pulled_a = { 0, };
  g_auto(Pulled) pulled_b = { 0, };
  g_auto(Pulled) pulled_city = { 0, };

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *row = g_strdup_printf ("h-%s-%u", i % 2 ? "b" : "a", i);
      g_autofree char *person = g_strdup_printf ("p-%s-%u", i % 2 ? "b" : "a", i);
      g_autofree char *id1 = add_mutation (batch, 0, "household", row,
                                           "kelurahan_code", i % 2 ? KEL_B : KEL_A, NULL);
      g_autofree char *id2 = add_mutation (batch, 0, "person", person,
                                           "household_id", row, NULL);
    }
  push (server, city, batch, SEND_PLAIN, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);

  pull_all (server, a, 0, 4, &pulled_a);
  pull_all (server, b, 0, 4, &pulled_b);
  pull_all (server, city, 0, 4, &pulled_city);
  g_assert_cmpuint (pulled_a.changes->len, ==, 6);
  g_assert_cmpuint (pulled_b.changes->len, ==, 6);
  g_assert_cmpuint (pulled_city.changes->len, ==, 12);

  assert_all_rows_contain (pulled_a.changes, "-a-");
  assert_all_rows_contain (pulled_b.changes, "-b-");
}

static void
test_move (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *city = enroll (server, NULL, CITY_DEVICE);
  g_autofree char *a = enroll (server, KEL_A, A_DEVICE);
  g_autofree char *b = enroll (server, KEL_B, B_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GString) edit = g_string_new (NULL);
  g_autoptr(GString) move = g_string_new (NULL);
  g_autofree char *created = add_mutation (batch, 0, "household", "h-1",
                                           "kelurahan_code", KEL_A, "head_name", "Irwan", NULL);
  g_autofree char *member = add_mutation (batch, 0, "person", "p-1",
                                          "household_id", "h-1", "full_name", "Irwan", NULL);
  g_autofree char *visit = add_mutation (batch, 0, "visit", "v-1",
                                         "household_id", "h-1", "kind", "rutin", NULL);
  /* Proposals to correct the household and its member belong with them. */
  g_autofree char *proposed = add_mutation (batch, 0, "proposal", "r-1",
                                            "target_table", "household", "target_id", "h-1",
                                            "field", "rt", "new_value", "007", NULL);
  g_autofree char *proposed_member = add_mutation (batch, 0, "proposal", "r-2",
                                                   "target_table", "person", "target_id", "p-1",
                                                   "field", "nik", "new_value",
                                                   "1375020101900001", NULL);
  g_autofree char *elsewhere = add_mutation (batch, 0, "household", "h-2",
                                             "kelurahan_code", KEL_A, NULL);
  g_autofree char *proposed_elsewhere = add_mutation (batch, 0, "proposal", "r-3",
                                                      "target_table", "household",
                                                      "target_id", "h-2", "field", "rt",
                                                      "new_value", "001", NULL);
  g_autofree char *edited = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *created_stamp = g_strconcat (created, CITY_DEVICE, NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Answer) edit_answer = { 0, };
  g_auto(Answer) move_answer = { 0, };
  g_auto(Pulled) before = { 0, };
  g_auto(Pulled) after = { 0, };
  g_auto(Pulled) arrived = { 0, };

  push (server, city, batch, SEND_PLAIN, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
  pull_all (server, a, 0, 5000, &before);
  g_assert_cmpuint (before.changes->len, ==, 6 + 4 + 4 + 1 + 4);

  /* Device A corrects the name; the Dinas then moves the household to B. */
  edited = add_edit (edit, "household", "h-1", "head_name", "Irwan Piliang", created_stamp);
  push (server, a, edit, SEND_PLAIN, &edit_answer);
  g_assert_cmpuint (edit_answer.status, ==, SOUP_STATUS_OK);

  moved = add_edit (move, "household", "h-1", "kelurahan_code", KEL_B, created_stamp);
  push (server, city, move, SEND_PLAIN, &move_answer);
  g_assert_cmpuint (move_answer.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (move_answer.body,
                                                                         "refused")), ==, 0);

  /* A is told the household, its member, its visit and the proposals to
   * change them left; the other household's proposal stays. */
  pull_all (server, a, before.cursor, 5000, &after);
  g_assert_cmpuint (after.removed->len, ==, 5);
  g_assert_cmpuint (count_changes (after.removed, "h-1", NULL), ==, 1);
  g_assert_cmpuint (count_changes (after.removed, "p-1", NULL), ==, 1);
  g_assert_cmpuint (count_changes (after.removed, "v-1", NULL), ==, 1);
  g_assert_cmpuint (count_changes (after.removed, "r-1", NULL), ==, 1);
  g_assert_cmpuint (count_changes (after.removed, "r-2", NULL), ==, 1);
  g_assert_cmpuint (count_changes (after.changes, "h-1", "kelurahan_code"), ==, 0);

  /* B receives all of it, with A's correction. */
  pull_all (server, b, 0, 5000, &arrived);
  g_assert_cmpuint (arrived.removed->len, ==, 0);
  g_assert_cmpstr (pulled_value (arrived.changes, "h-1", "kelurahan_code"), ==, KEL_B);
  g_assert_cmpstr (pulled_value (arrived.changes, "h-1", "head_name"), ==, "Irwan Piliang");
  g_assert_cmpstr (pulled_value (arrived.changes, "p-1", "full_name"), ==, "Irwan");
  g_assert_cmpstr (pulled_value (arrived.changes, "p-1", "household_id"), ==, "h-1");
  g_assert_cmpstr (pulled_value (arrived.changes, "v-1", "kind"), ==, "rutin");
  g_assert_cmpstr (pulled_value (arrived.changes, "r-1", "new_value"), ==, "007");
  g_assert_cmpstr (pulled_value (arrived.changes, "r-1", "target_id"), ==, "h-1");
  g_assert_cmpstr (pulled_value (arrived.changes, "r-2", "new_value"), ==, "1375020101900001");
  g_assert_cmpuint (count_changes (arrived.changes, "r-3", NULL), ==, 0);
  g_assert_cmpuint (count_changes (arrived.changes, "h-2", NULL), ==, 0);

  /* A may no longer write it. */
  {
    g_autoptr(GString) late = g_string_new (NULL);
    g_autofree char *late_id = add_mutation (late, 0, "person", "p-1", "notes", "x", NULL);
    g_auto(Answer) late_answer = { 0, };
    JsonArray *refused;

    push (server, a, late, SEND_PLAIN, &late_answer);
    refused = json_object_get_array_member (late_answer.body, "refused");
    g_assert_cmpuint (json_array_get_length (refused), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (refused, 0),
                                                    "reason"), ==, "out-of-scope");
  }
}

static void
test_gzip (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_auto(Answer) answer = { 0, };
  g_auto(Answer) page = { 0, };

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *row = g_strdup_printf ("h-%02u", i);
      g_autofree char *id = add_mutation (batch, 0, "household", row, "kelurahan_code", KEL_A,
                                          "address", "Jl. Panorama No. 4", NULL);
    }

  push (server, token, batch, SEND_GZIP, &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer.body, "refused")),
                    ==, 0);

  send_request (server, "GET", "/api/v1/pull?cursor=0", token, NULL, ACCEPT_GZIP, &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (page.content_encoding, ==, "gzip");
  /* Two writes of each household, folded into one row each. */
  g_assert_cmpuint (count_rows (json_object_get_array_member (page.body, "rows"), "household"),
                    ==, 50);
}

static void
test_bad_requests (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autofree char *id = add_mutation (batch, 0, "household", "h-1",
                                      "kelurahan_code", KEL_A, NULL);
  g_autofree char *valid = push_body (batch);
  g_autofree char *mixed = g_strdup_printf ("{\"schema_version\": %d, \"mutations\": [%s, "
                                            "{\"id\": 5, \"table\": \"household\"}]}",
                                            PDM_RECORD_SCHEMA_VERSION, batch->str);
  g_autofree char *old_schema = g_strdup_printf ("{\"schema_version\": 99, \"mutations\": "
                                                 "[%s]}", batch->str);
  g_autofree char *number_value = g_strdup_printf (
    "{\"schema_version\": %d, \"mutations\": [{\"id\": \"%s\", \"table\": \"household\", "
    "\"row\": \"h-2\", \"fields\": {\"desil\": {\"value\": 3}}}]}",
    PDM_RECORD_SCHEMA_VERSION, id);
  const struct {
    const char *body;
    SendFlags   flags;
    const char *error;
  } cases[] = {
    { "{\"schema_version\": 2, \"mutations\": [", SEND_PLAIN, "bad-request" },
    { "[1, 2, 3]", SEND_PLAIN, "bad-request" },
    { "{\"mutations\": []}", SEND_PLAIN, "bad-request" },
    { mixed, SEND_PLAIN, "bad-request" },
    { number_value, SEND_PLAIN, "bad-request" },
    { old_schema, SEND_PLAIN, "schema-unsupported" },
    { valid, SEND_NO_PROTOCOL, "protocol-unsupported" },
    { valid, SEND_OLD_PROTOCOL, "protocol-unsupported" },
  };
  g_auto(Answer) health = { 0, };
  g_auto(Answer) bad_cursor = { 0, };
  g_auto(Pulled) pulled = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Answer) answer = { 0, };

      send_text (server, "/api/v1/push", token, cases[i].body, cases[i].flags, &answer);
      assert_error (&answer, SOUP_STATUS_BAD_REQUEST, cases[i].error);
      if (cases[i].flags & SEND_OLD_PROTOCOL)
        {
          const char *message = json_object_get_string_member (answer.body, "message");

          /* Both versions, so a person can tell which side to update. */
          g_assert_nonnull (strstr (message, "1"));
          g_assert_nonnull (strstr (message, "0"));
        }
    }

  send_request (server, "GET", "/api/v1/pull?cursor=-4", token, NULL, SEND_PLAIN, &bad_cursor);
  assert_error (&bad_cursor, SOUP_STATUS_BAD_REQUEST, "bad-request");

  /* The server keeps serving, and none of it was applied. */
  send_request (server, "GET", "/api/v1/health", NULL, NULL, SEND_PLAIN, &health);
  g_assert_cmpuint (health.status, ==, SOUP_STATUS_OK);
  pull_all (server, token, 0, 5000, &pulled);
  g_assert_cmpuint (pulled.changes->len, ==, 0);
}

static void
test_too_large (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  gsize size = 9 * 1024 * 1024;
  g_autofree char *text = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_auto(Answer) bomb = { 0, };
  g_auto(Answer) plain = { 0, };
  g_auto(Answer) health = { 0, };

  /* Valid JSON that only decompression shows to be too large. */
  memset (text, ' ', size);
  text[0] = '{';
  text[size - 1] = '}';
  body = g_bytes_new_take (g_steal_pointer (&text), size);

  send_request (server, "POST", "/api/v1/push", token, body, SEND_GZIP, &bomb);
  assert_error (&bomb, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large");

  send_request (server, "POST", "/api/v1/push", token, body, SEND_PLAIN, &plain);
  assert_error (&plain, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large");

  send_request (server, "GET", "/api/v1/health", NULL, NULL, SEND_PLAIN, &health);
  g_assert_cmpuint (health.status, ==, SOUP_STATUS_OK);
}

/* Trainings and their records are shared city-wide: a kelurahan device
 * writes them whatever the PSM's kelurahan, and every device receives
 * them. A submitted response never changes and forms come from the server
 * alone: such writes are refused one by one, and the rest goes on. */
static void
test_training_shared (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *city = enroll (server, NULL, CITY_DEVICE);
  g_autofree char *a = enroll (server, KEL_A, A_DEVICE);
  g_autofree char *b = enroll (server, KEL_B, B_DEVICE);
  g_autofree char *pretest = pdm_training_form_id ("psm-basic-pretest", 1);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GString) later = g_string_new (NULL);
  g_autofree char *training = add_mutation (batch, 0, "training", "t-1",
                                            "title", "Pelatihan Dasar PSM",
                                            "start_date", "2025-11-25", NULL);
  g_autofree char *session = add_mutation (batch, 0, "training_session", "s-1",
                                           "training_id", "t-1", "topic", "Peran PSM",
                                           "position", "1", NULL);
  g_autofree char *participant = add_mutation (batch, 0, "participant", "p-1",
                                               "training_id", "t-1", "volunteer_id", "v-b",
                                               "kelurahan_code", KEL_B, NULL);
  g_autofree char *response = add_mutation (batch, 0, "response", "r-1",
                                            "form_id", pretest, "training_id", "t-1",
                                            "participant_id", "p-1",
                                            "answers", "{\\\"q01\\\": \\\"a\\\"}",
                                            "score", "1", "max_score", "20",
                                            "submitted_at", "2025-11-25T08:10:00+07:00", NULL);
  g_autofree char *changed_answer = NULL;
  g_autofree char *form_edit = NULL;
  g_autofree char *bad_mark = NULL;
  g_autofree char *venue = NULL;
  g_auto(Answer) first = { 0, };
  g_auto(Answer) second = { 0, };
  g_auto(Pulled) pulled_b = { 0, };
  g_auto(Pulled) pulled_city = { 0, };
  g_auto(Pulled) pulled_a = { 0, };
  g_auto(Pulled) after = { 0, };
  const char *expected[][2] = { { NULL, "immutable" }, { NULL, "read-only" },
                                { NULL, "invalid-value" } };

  push (server, a, batch, SEND_PLAIN, &first);
  g_assert_cmpuint (first.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first.body, "refused")),
                    ==, 0);
  g_assert_cmpstr (json_object_get_string_member (first.body, "applied_through"), ==, response);

  /* Device B, of the PSM's kelurahan, and the Dinas receive all of it. */
  pull_all (server, b, 0, 5000, &pulled_b);
  pull_all (server, city, 0, 5000, &pulled_city);
  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *changes = i == 0 ? pulled_b.changes : pulled_city.changes;

      g_assert_cmpstr (pulled_value (changes, "t-1", "title"), ==, "Pelatihan Dasar PSM");
      g_assert_cmpstr (pulled_value (changes, "s-1", "topic"), ==, "Peran PSM");
      g_assert_cmpstr (pulled_value (changes, "p-1", "kelurahan_code"), ==, KEL_B);
      g_assert_cmpstr (pulled_value (changes, "r-1", "answers"), ==, "{\"q01\": \"a\"}");
      g_assert_cmpuint (changes->len, ==, 15);
    }

  /* So do the shipped forms, once, stamped as shipped. */
  g_assert_cmpuint (pulled_b.shipped->len, >, 0);
  g_assert_cmpuint (pulled_b.shipped->len, ==, pulled_city.shipped->len);
  g_assert_cmpstr (pulled_value (pulled_b.shipped, pretest, "form_key"), ==, "psm-basic-pretest");

  /* A corrects the answer, edits a form, marks a participant "2" and
   * names the venue: only the venue goes through. */
  changed_answer = add_mutation (later, 0, "response", "r-1", "score", "20", NULL);
  form_edit = add_mutation (later, 0, "form", pretest, "title", "Tes Awal", NULL);
  bad_mark = add_mutation (later, 0, "attendance", "m-1", "session_id", "s-1",
                           "participant_id", "p-1", "present", "2", NULL);
  venue = add_mutation (later, 0, "training", "t-1", "venue", "Aula Balai Kota", NULL);
  expected[0][0] = changed_answer;
  expected[1][0] = form_edit;
  expected[2][0] = bad_mark;
  push (server, a, later, SEND_PLAIN, &second);
  g_assert_cmpuint (second.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (second.body, "applied_through"), ==, venue);
  assert_refused (second.body, expected, G_N_ELEMENTS (expected));

  pull_all (server, b, pulled_b.cursor, 5000, &after);
  g_assert_cmpuint (after.changes->len, ==, 1);
  g_assert_cmpstr (pulled_value (after.changes, "t-1", "venue"), ==, "Aula Balai Kota");

  /* From scratch, device A sees the response as it was submitted. */
  pull_all (server, a, 0, 5000, &pulled_a);
  g_assert_cmpstr (pulled_value (pulled_a.changes, "r-1", "score"), ==, "1");
  g_assert_cmpuint (count_changes (pulled_a.changes, pretest, NULL), ==, 0);
  g_assert_cmpuint (count_changes (pulled_a.changes, "m-1", NULL), ==, 0);
}

/* The forms endpoint, asked with @query (NULL for none). */
static void
get_forms (PdmTestProcess *server,
           const char     *token,
           const char     *query,
           SendFlags       flags,
           Answer         *answer)
{
  g_autofree char *path = g_strconcat ("/api/v1/forms", query != NULL ? "?" : "", query, NULL);

  send_request (server, "GET", path, token, NULL, flags, answer);
}

/* The forms of a 200 answer. */
static JsonArray *
answer_forms (const Answer *answer)
{
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  g_assert_true (json_object_has_member (answer->body, "forms"));

  return json_object_get_array_member (answer->body, "forms");
}

/* Form @index of @forms is version @version of @form_key, under its derived
 * key, with its definition sent as the JSON object whose own `id` and
 * `version` name it; returns that definition. */
static JsonObject *
assert_form (JsonArray  *forms,
             guint       index,
             const char *form_key,
             gint64      version)
{
  g_autofree char *id = pdm_training_form_id (form_key, version);
  JsonObject *form;
  JsonNode *definition;
  JsonObject *object;

  g_assert_cmpuint (index, <, json_array_get_length (forms));
  form = json_array_get_object_element (forms, index);
  g_assert_cmpstr (json_object_get_string_member (form, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (form, "form_key"), ==, form_key);
  g_assert_cmpint (json_object_get_int_member (form, "version"), ==, version);

  definition = json_object_get_member (form, "definition");
  g_assert_nonnull (definition);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (definition));
  object = json_node_get_object (definition);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, form_key);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, version);
  g_assert_cmpstr (json_object_get_string_member (form, "title"), ==,
                   json_object_get_string_member (object, "title"));
  g_assert_cmpstr (json_object_get_string_member (form, "kind"), ==,
                   json_object_get_string_member (object, "kind"));

  return object;
}

/* The four forms shipped with the server, as a device that never pulled
 * would fetch them: listed in key order, each the same definition that
 * pull hands out; one asked for by key and version, or missing with the
 * reason. */
static void
test_forms_list (void)
{
  static const char *shipped[] = {
    "organisation-evaluation", "psm-basic-posttest", "psm-basic-pretest", "speaker-evaluation",
  };
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  g_auto(Answer) all = { 0, };
  g_auto(Answer) one = { 0, };
  g_auto(Answer) exact = { 0, };
  g_auto(Answer) no_version = { 0, };
  g_auto(Answer) no_form = { 0, };
  g_auto(Pulled) pulled = { 0, };
  JsonArray *forms;
  JsonObject *pretest;
  const char *message;

  get_forms (server, token, NULL, ACCEPT_GZIP, &all);
  forms = answer_forms (&all);
  /* Whole definitions weigh tens of KiB: they travel compressed. */
  g_assert_cmpstr (all.content_encoding, ==, "gzip");
  g_assert_cmpuint (json_array_get_length (forms), ==, G_N_ELEMENTS (shipped));

  pull_all (server, token, 0, 5000, &pulled);
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      g_autofree char *id = pdm_training_form_id (shipped[i], 1);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *definition = assert_form (forms, i, shipped[i], 1);
      g_autoptr(JsonNode) sent = json_node_init_object (json_node_alloc (), definition);

      /* A form client and a syncing device read the same definition. */
      json_parser_load_from_data (parser, pulled_value (pulled.shipped, id, "definition"), -1,
                                  &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (json_parser_get_root (parser), sent));
    }

  get_forms (server, token, "key=psm-basic-pretest", SEND_PLAIN, &one);
  forms = answer_forms (&one);
  g_assert_cmpuint (json_array_get_length (forms), ==, 1);
  pretest = assert_form (forms, 0, "psm-basic-pretest", 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pretest, "sections")),
                    >, 0);

  get_forms (server, token, "key=psm-basic-posttest&version=1", SEND_PLAIN, &exact);
  forms = answer_forms (&exact);
  g_assert_cmpuint (json_array_get_length (forms), ==, 1);
  assert_form (forms, 0, "psm-basic-posttest", 1);

  get_forms (server, token, "key=psm-basic-pretest&version=99", SEND_PLAIN, &no_version);
  assert_error (&no_version, SOUP_STATUS_NOT_FOUND, "unknown-form");
  message = json_object_get_string_member (no_version.body, "message");
  g_assert_nonnull (strstr (message, "psm-basic-pretest"));
  g_assert_nonnull (strstr (message, "99"));

  get_forms (server, token, "key=psm-lanjutan-pretest", SEND_PLAIN, &no_form);
  assert_error (&no_form, SOUP_STATUS_NOT_FOUND, "unknown-form");
  g_assert_nonnull (strstr (json_object_get_string_member (no_form.body, "message"),
                            "psm-lanjutan-pretest"));
}

/* Forms are for enrolled devices speaking this protocol, like pull. */
static void
test_forms_refused (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, KEL_A, A_DEVICE);
  const char *revoke_args[] = { "revoke", A_DEVICE, "--data-dir", server->data_dir, NULL };
  const char *bad_queries[] = { "version=1", "key=psm-basic-pretest&version=0",
                                "key=psm-basic-pretest&version=satu", "latest=2" };
  g_auto(Answer) missing = { 0, };
  g_auto(Answer) unknown = { 0, };
  g_auto(Answer) no_protocol = { 0, };
  g_auto(Answer) before = { 0, };
  g_auto(Answer) revoked = { 0, };

  get_forms (server, NULL, NULL, SEND_PLAIN, &missing);
  assert_error (&missing, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  get_forms (server, "pdm1_0000", NULL, SEND_PLAIN, &unknown);
  assert_error (&unknown, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  get_forms (server, token, NULL, SEND_NO_PROTOCOL, &no_protocol);
  assert_error (&no_protocol, SOUP_STATUS_BAD_REQUEST, "protocol-unsupported");

  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      g_auto(Answer) answer = { 0, };

      get_forms (server, token, bad_queries[i], SEND_PLAIN, &answer);
      assert_error (&answer, SOUP_STATUS_BAD_REQUEST, "bad-request");
    }

  get_forms (server, token, NULL, SEND_PLAIN, &before);
  g_assert_cmpuint (json_array_get_length (answer_forms (&before)), ==, 4);

  g_assert_cmpint (pdm_test_process_run (revoke_args, NULL, NULL), ==, 0);
  get_forms (server, token, NULL, SEND_PLAIN, &revoked);
  assert_error (&revoked, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_false (json_object_has_member (revoked.body, "forms"));
}

/* A new version of a form reaches the server (as a release that ships it
 * would seed it); a third one was withdrawn. Every live version is listed,
 * `latest=1` gives the newest of each form, and the withdrawn one is not
 * there at all. */
static void
test_forms_latest (void)
{
  static const char revised[] =
    "{\"id\": \"psm-basic-pretest\", \"version\": 2, \"title\": \"Pre-Test (revisi)\", "
    "\"kind\": \"test\", \"sections\": []}";
  static const char withdrawn[] =
    "{\"id\": \"psm-basic-pretest\", \"version\": 3, \"title\": \"Pre-Test (ditarik)\", "
    "\"kind\": \"test\", \"sections\": []}";
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *token = enroll (server, NULL, CITY_DEVICE);
  g_autofree char *path = g_build_filename (server->data_dir, "pendamping-server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Answer) all = { 0, };
  g_auto(Answer) latest = { 0, };
  g_auto(Answer) versions = { 0, };
  g_auto(Answer) newest = { 0, };
  g_auto(Answer) gone = { 0, };
  JsonArray *forms;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, PDM_TEST_TIMEOUT_MS);
  g_assert_true (pdm_training_seed_form_json (db, revised, strlen (revised), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pdm_training_seed_form_json (db, withdrawn, strlen (withdrawn), NULL, NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE form SET deleted = 1 WHERE version = 3", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  get_forms (server, token, NULL, SEND_PLAIN, &all);
  forms = answer_forms (&all);
  g_assert_cmpuint (json_array_get_length (forms), ==, 5);
  assert_form (forms, 2, "psm-basic-pretest", 1);
  assert_form (forms, 3, "psm-basic-pretest", 2);
  assert_form (forms, 4, "speaker-evaluation", 1);

  get_forms (server, token, "latest=1", SEND_PLAIN, &latest);
  forms = answer_forms (&latest);
  g_assert_cmpuint (json_array_get_length (forms), ==, 4);
  assert_form (forms, 0, "organisation-evaluation", 1);
  assert_form (forms, 1, "psm-basic-posttest", 1);
  assert_form (forms, 2, "psm-basic-pretest", 2);
  assert_form (forms, 3, "speaker-evaluation", 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (forms, 2),
                                                  "title"), ==, "Pre-Test (revisi)");

  get_forms (server, token, "key=psm-basic-pretest", SEND_PLAIN, &versions);
  forms = answer_forms (&versions);
  g_assert_cmpuint (json_array_get_length (forms), ==, 2);
  assert_form (forms, 0, "psm-basic-pretest", 1);
  assert_form (forms, 1, "psm-basic-pretest", 2);

  get_forms (server, token, "key=psm-basic-pretest&latest=1", SEND_PLAIN, &newest);
  forms = answer_forms (&newest);
  g_assert_cmpuint (json_array_get_length (forms), ==, 1);
  assert_form (forms, 0, "psm-basic-pretest", 2);

  get_forms (server, token, "key=psm-basic-pretest&version=3", SEND_PLAIN, &gone);
  assert_error (&gone, SOUP_STATUS_NOT_FOUND, "unknown-form");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-server/enroll", test_enroll);
  g_test_add_func ("/sync-server/unauthorized", test_unauthorized);
  g_test_add_func ("/sync-server/push/idempotent", test_push_idempotent);
  g_test_add_func ("/sync-server/push/refused-alone", test_refused_alone);
  g_test_add_func ("/sync-server/push/clock-ahead", test_clock_ahead);
  g_test_add_func ("/sync-server/pull/pages", test_pull_pages);
  g_test_add_func ("/sync-server/pull/rows", test_pull_rows);
  g_test_add_func ("/sync-server/pull/scope", test_scope);
  g_test_add_func ("/sync-server/pull/move", test_move);
  g_test_add_func ("/sync-server/gzip", test_gzip);
  g_test_add_func ("/sync-server/bad-requests", test_bad_requests);
  g_test_add_func ("/sync-server/too-large", test_too_large);
  g_test_add_func ("/sync-server/training/shared", test_training_shared);
  g_test_add_func ("/sync-server/forms/list", test_forms_list);
  g_test_add_func ("/sync-server/forms/refused", test_forms_refused);
  g_test_add_func ("/sync-server/forms/latest", test_forms_latest);

  return g_test_run ();
}
