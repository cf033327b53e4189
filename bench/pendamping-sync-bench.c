/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-sync-bench"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-bench-util.h"
#include "pdm-database.h"
#include "pdm-hlc.h"
#include "pdm-repository.h"
#include "pdm-sqlite-store.h"
#include "pdm-sync-engine.h"

/* Sync against a real pendamping-server process on 127.0.0.1, with the city's
 * data (17,000 households, about 63,000 persons). Prints one `NAME VALUE UNIT`
 * line per figure:
 *
 *   pendamping-sync-bench [--server PATH] [--data-dir DIR] [--devices N]
 *
 * PATH defaults to $PDM_SERVER_PATH, then server/pendamping-server of the
 * build directory this runs from. DIR holds households.jsonl and
 * persons.jsonl of /work/shared/peers/gen_dtsen.py; without it equivalent
 * rows are made here. The first sync of a fresh device runs through the
 * app's own PdmSyncEngine.
 *
 * With --server-data DIR the loaded server store is kept in DIR, and a
 * later run with the same DIR starts a copy of it instead of loading again
 * (then only the pull figures are measured: the edit and device phases
 * need the stamps of the load). */

#define N_HOUSEHOLDS   17000
#define PUSH_BATCH     2000
#define PAGE_LIMIT     100000
#define N_EDITS        1000
#define EDITS_PER_DEV  100
#define EDITS_PER_PUSH 10

static const char * const kelurahan_codes[] = {
  "13.75.01.1001", "13.75.01.1002", "13.75.01.1003", "13.75.01.1004", "13.75.01.1005",
  "13.75.01.1006", "13.75.01.1007", "13.75.02.1001", "13.75.02.1002", "13.75.02.1003",
  "13.75.02.1004", "13.75.02.1005", "13.75.02.1006", "13.75.02.1007", "13.75.02.1008",
  "13.75.02.1009", "13.75.03.1001", "13.75.03.1002", "13.75.03.1003", "13.75.03.1004",
  "13.75.03.1005", "13.75.03.1006", "13.75.03.1007", "13.75.03.1008",
};

static char *opt_server;
static char *opt_data_dir;
static char *opt_server_data;
static int opt_devices = 1000;
static int opt_concurrent = 32;
static int opt_households = N_HOUSEHOLDS;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "pendamping-server to run", "PATH" },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir, "gen_dtsen.py output", "DIR" },
  { "server-data", 0, 0, G_OPTION_ARG_FILENAME, &opt_server_data,
    "keep the loaded server store here, or start from the one kept here", "DIR" },
  { "devices", 0, 0, G_OPTION_ARG_INT, &opt_devices, "simulated devices (default 1000)", "N" },
  { "concurrent", 0, 0, G_OPTION_ARG_INT, &opt_concurrent,
    "devices pushing at the same time (default 32)", "N" },
  { "households", 0, 0, G_OPTION_ARG_INT, &opt_households,
    "households to generate without --data-dir (default 17000)", "N" },
  { NULL }
};

static void
report (const char *name,
        double      value,
        const char *unit)
{
  g_print ("%s %.3f %s\n", name, value, unit);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Processor time of this process (all its threads, not the server's):
 * on a shared machine it moves far less than the wall clock. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / (double) G_USEC_PER_SEC;
}

/* ---- data ---------------------------------------------------------------- */

static const char *
json_text (JsonObject *object,
           const char *name,
           char       *buffer,
           gsize       size)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      buffer[0] = '\0';
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_strlcat (buffer, ",", size);
          g_strlcat (buffer, json_array_get_string_element (array, i), size);
        }
      return buffer;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_snprintf (buffer, size, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return buffer;
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? "ya" : NULL;

  return json_node_get_string (node);
}

/* @map: NULL-terminated (record field, JSON member) pairs. */
static void
load_jsonl (const char         *path,
            PdmTable            table,
            const char * const *map,
            GPtrArray          *rows)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;
      PdmRecord *record;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      if (node == NULL)
        g_error ("%s:%u: %s", path, i + 1, error->message);
      object = json_node_get_object (node);

      record = pdm_record_new (table);
      record->id = g_strdup (json_object_get_string_member (object, "id"));
      for (guint m = 0; map[m] != NULL; m += 2)
        {
          char buffer[256];

          pdm_record_set (record, map[m], json_text (object, map[m + 1], buffer, sizeof buffer));
        }
      pdm_record_set (record, "deleted", "0");
      g_ptr_array_add (rows, record);
    }
}

/* The city-sized data set without the generator: the same shapes. */
static void
generate_rows (GPtrArray *rows)
{
  static const char * const names[] = { "Masrizal", "Yusmaniar", "Jamaris", "Irwan", "Dewi",
                                        "Rahmat", "Nurhayati", "Fauzi", "Aisyah", "Hendra" };

  for (guint h = 0; h < (guint) opt_households; h++)
    {
      PdmRecord *household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
      char text[64];
      guint n_members = 2 + h % 4;

      household->id = g_uuid_string_random ();
      g_snprintf (text, sizeof text, "1375%02u%06u0001", 1 + h % 3, h);
      pdm_record_set (household, "kk_number", text);
      pdm_record_set (household, "head_name", names[h % G_N_ELEMENTS (names)]);
      g_snprintf (text, sizeof text, "Jl. Panorama No. %u", 1 + h % 90);
      pdm_record_set (household, "address", text);
      pdm_record_set (household, "rt", "001");
      pdm_record_set (household, "rw", "002");
      pdm_record_set (household, "kelurahan_code",
                      kelurahan_codes[h % G_N_ELEMENTS (kelurahan_codes)]);
      pdm_record_set_int (household, "desil", 1 + h % 10);
      pdm_record_set (household, "programs", "BPNT,PBI-JK");
      pdm_record_set (household, "deleted", "0");
      g_ptr_array_add (rows, household);

      for (guint p = 0; p < n_members; p++)
        {
          PdmRecord *person = pdm_record_new (PDM_TABLE_PERSON);

          person->id = g_uuid_string_random ();
          pdm_record_set (person, "household_id", household->id);
          g_snprintf (text, sizeof text, "1375%02u01019%01u%04u", 1 + h % 3, p, h % 10000);
          pdm_record_set (person, "nik", text);
          pdm_record_set (person, "full_name", names[(h + p) % G_N_ELEMENTS (names)]);
          pdm_record_set (person, "sex", p % 2 ? "P" : "L");
          pdm_record_set (person, "birth_date", "1990-01-01");
          pdm_record_set (person, "relationship", p == 0 ? "Kepala Keluarga" : "Anak");
          pdm_record_set (person, "deleted", "0");
          g_ptr_array_add (rows, person);
        }
    }
}

static GPtrArray *
load_rows (void)
{
  static const char * const household_map[] = {
    "kk_number", "kk_number", "head_name", "head_name", "address", "address", "rt", "rt",
    "rw", "rw", "kelurahan_code", "village_code", "desil", "desil", "programs", "programs",
    NULL,
  };
  static const char * const person_map[] = {
    "household_id", "household_id", "nik", "nik", "full_name", "full_name", "sex", "gender",
    "birth_date", "birth_date", "relationship", "relationship", "disability", "disability",
    NULL,
  };
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);

  if (opt_data_dir != NULL)
    {
      g_autofree char *households = g_build_filename (opt_data_dir, "households.jsonl", NULL);
      g_autofree char *persons = g_build_filename (opt_data_dir, "persons.jsonl", NULL);

      load_jsonl (households, PDM_TABLE_HOUSEHOLD, household_map, rows);
      load_jsonl (persons, PDM_TABLE_PERSON, person_map, rows);
    }
  else
    generate_rows (rows);

  return rows;
}

/* ---- server -------------------------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char        *data_dir;
  char        *url;
  SoupSession *session;
} Server;

/* Each phase starts on fresh connections: one the server dropped while
 * the previous phase worked locally would fail a POST. */
static void
server_new_session (Server *server)
{
  g_clear_object (&server->session);
  server->session = soup_session_new_with_options ("timeout", 120,
                                                   "max-conns", opt_concurrent + 8,
                                                   "max-conns-per-host", opt_concurrent + 8,
                                                   NULL);
}

static void
copy_store (const char *from_dir,
            const char *to_dir)
{
  g_autofree char *from = g_build_filename (from_dir, PDM_SQLITE_STORE_FILENAME, NULL);
  g_autofree char *to = g_build_filename (to_dir, PDM_SQLITE_STORE_FILENAME, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
}

/* A bench that fails (g_error) must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* @from_dir: a stopped server's data directory to start a copy of, or NULL
 * for an empty server. */
static void
server_start (Server     *server,
              const char *from_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  server->data_dir = g_dir_make_tmp ("pendamping-sync-bench-XXXXXX", &error);
  g_assert_no_error (error);
  if (from_dir != NULL)
    copy_store (from_dir, server->data_dir);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error, opt_server,
                                                 "serve", "--listen", "127.0.0.1:0",
                                                 "--data-dir", server->data_dir, NULL);
  if (server->process == NULL)
    g_error ("%s", error->message);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "Listening on "))
    g_error ("the server did not start: %s", line != NULL ? line : "");
  server->url = g_strdup (line + strlen ("Listening on "));

  server_new_session (server);
}

/* @keep_dir: where to keep a copy of the store, or NULL. */
static void
server_stop (Server     *server,
             const char *keep_dir)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_clear_object (&server->session);

  /* The server checkpointed its WAL into the file as it closed. */
  if (keep_dir != NULL)
    {
      g_mkdir_with_parents (keep_dir, 0700);
      copy_store (server->data_dir, keep_dir);
    }

  /* The store file, its WAL and shared memory. */
  {
    g_autoptr(GDir) dir = g_dir_open (server->data_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (server->data_dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (server->data_dir);
  }
  g_free (server->data_dir);
  g_free (server->url);
}

static SoupMessage *
new_request (Server     *server,
             const char *method,
             const char *path,
             const char *token,
             GBytes     *body,
             gboolean    compressed)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "X-Pendamping-Protocol",
                                G_STRINGIFY (PDM_PROTOCOL_VERSION));
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (compressed)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  return msg;
}

static JsonObject *
parse_answer (SoupMessage *msg,
              GBytes      *bytes)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("not a JSON object: %s", error != NULL ? error->message : "");
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("HTTP %u: %s", soup_message_get_status (msg), (const char *) g_bytes_get_data (bytes, NULL));

  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
request (Server     *server,
         const char *method,
         const char *path,
         const char *token,
         GBytes     *body,
         gboolean    compressed)
{
  g_autoptr(SoupMessage) msg = new_request (server, method, path, token, body, compressed);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
  if (bytes == NULL)
    g_error ("%s %s: %s", method, path, error->message);

  return parse_answer (msg, bytes);
}

static GBytes *
gzip_bytes (GBytes *data)
{
  g_autoptr(GZlibCompressor) compressor =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (source, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static char *
enroll (Server     *server,
        PdmStore   *store,
        const char *kelurahan,
        guint64     device_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  char *text;

  code = pdm_store_create_enrollment_code (store, kelurahan, g_get_real_time () / 1000 + 3600000,
                                           &error);
  if (code == NULL)
    g_error ("%s", error->message);
  text = g_strdup_printf ("{\"code\": \"%s\", \"device_id\": \"%016" G_GINT64_MODIFIER "x\", "
                          "\"device_name\": \"bench\"}", code, device_id);
  body = g_bytes_new_take (text, strlen (text));
  answer = request (server, "POST", "api/v1/enroll", NULL, body, FALSE);

  return g_strdup (json_object_get_string_member (answer, "token"));
}

/* ---- push ---------------------------------------------------------------- */

/* Opens {"id", "table", "row", "fields": {; the caller adds the fields. */
static void
begin_mutation (JsonBuilder *builder,
                guint64      id,
                const char  *table,
                const char  *row)
{
  char id_hex[17];

  g_snprintf (id_hex, sizeof id_hex, "%016" G_GINT64_MODIFIER "x", id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id_hex);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table);
  json_builder_set_member_name (builder, "row");
  json_builder_add_string_value (builder, row);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
}

static void
add_field (JsonBuilder *builder,
           const char  *field,
           const char  *value,
           const char  *base)
{
  json_builder_set_member_name (builder, field);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_set_member_name (builder, "base");
  if (base != NULL)
    json_builder_add_string_value (builder, base);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
end_mutation (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* One mutation writing every non-empty field of @record. */
static void
add_record_mutation (JsonBuilder     *builder,
                     const PdmRecord *record,
                     guint64          id)
{
  begin_mutation (builder, id, record->info->name, record->id);
  for (guint f = 0; f < record->info->n_fields; f++)
    if (record->values[f] != NULL)
      add_field (builder, record->info->fields[f].name, record->values[f], NULL);
  end_mutation (builder);
}

static void
add_edit_mutation (JsonBuilder *builder,
                   guint64      id,
                   const char  *table,
                   const char  *row,
                   const char  *field,
                   const char  *value,
                   const char  *base)
{
  begin_mutation (builder, id, table, row);
  add_field (builder, field, value, base);
  end_mutation (builder);
}

static JsonBuilder *
begin_batch (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, PDM_RECORD_SCHEMA_VERSION);
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);

  return builder;
}

/* The finished batch, gzip-compressed. */
static GBytes *
end_batch (JsonBuilder *builder,
           gsize       *out_plain_size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) plain = NULL;
  gsize length;
  char *text;

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  plain = g_bytes_new_take (text, length);
  if (out_plain_size != NULL)
    *out_plain_size = length;

  return gzip_bytes (plain);
}

static void
check_refused (JsonObject *answer)
{
  JsonArray *refused = json_object_get_array_member (answer, "refused");

  if (json_array_get_length (refused) > 0)
    g_error ("the server refused %u mutations, the first: %s", json_array_get_length (refused),
             json_object_get_string_member (json_array_get_object_element (refused, 0),
                                            "message"));
}

/* Loads @rows through push; *@out_stamps[i] is the creation stamp of row i. */
static double
load_by_push (Server     *server,
              const char *token,
              guint64     device_id,
              GPtrArray  *rows,
              GPtrArray  *stamps)
{
  g_autoptr(PdmHlc) hlc = pdm_hlc_new (device_id, 0);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < rows->len; i += PUSH_BATCH)
    {
      g_autoptr(JsonBuilder) builder = begin_batch ();
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) answer = NULL;

      for (guint r = i; r < MIN (rows->len, i + PUSH_BATCH); r++)
        {
          guint64 id = pdm_hlc_tick (hlc);
          char stamp[PDM_STAMP_LEN + 1];

          pdm_stamp_format (id, device_id, stamp);
          g_ptr_array_add (stamps, g_strdup (stamp));
          add_record_mutation (builder, g_ptr_array_index (rows, r), id);
        }
      body = end_batch (builder, NULL);
      answer = request (server, "POST", "api/v1/push", token, body, TRUE);
      check_refused (answer);
    }

  return seconds_since (start);
}

/* ---- pull ---------------------------------------------------------------- */

typedef struct
{
  guint  n_pages;
  gsize  wire_bytes;
  gsize  plain_bytes;
  double server_cpu;
} PullStats;

/* Processor time the server process has used so far (Linux). */
static double
server_cpu_seconds (Server *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat",
                                           g_subprocess_get_identifier (server->process));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (after_name = strrchr (text, ')')) == NULL)
    return 0;

  /* After "pid (name)": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/* Every page of a fresh device's first pull, fetched and not merged: what
 * the server's side costs (reading the change log, writing the JSON,
 * gzip) and the wire carries. Only the requests are timed. */
static double
fetch_all_pages (Server     *server,
                 const char *token,
                 PullStats  *stats)
{
  gint64 cursor = 0;
  gboolean more = TRUE;
  double seconds = 0;

  stats->server_cpu = server_cpu_seconds (server);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("api/v1/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=%u", cursor, PAGE_LIMIT);
      g_autoptr(SoupMessage) msg = new_request (server, "GET", path, token, NULL, FALSE);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(JsonObject) page = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
      if (bytes == NULL)
        g_error ("pull: %s", error->message);
      seconds += seconds_since (start);

      stats->wire_bytes += soup_message_headers_get_content_length (
        soup_message_get_response_headers (msg));
      stats->plain_bytes += g_bytes_get_size (bytes);
      stats->n_pages++;
      page = parse_answer (msg, bytes);
      cursor = json_object_get_int_member (page, "cursor");
      more = json_object_get_boolean_member (page, "more");
    }
  stats->server_cpu = server_cpu_seconds (server) - stats->server_cpu;

  return seconds;
}

static void
on_engine_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* A fresh Dinas device's first sync through the app's own engine
 * (pdm-sync-engine.c: pages fetched ahead, merged with their cursor one
 * transaction each, the search index made searchable); enrollment is not
 * timed. */
static double
initial_sync (Server     *server,
              PdmStore   *store,
              const char *path,
              guint      *out_pulled,
              double     *out_cpu)
{
  g_autoptr(PdmSyncEngine) engine = pdm_sync_engine_new (path, server->url);
  g_autoptr(GAsyncResult) enrolled = NULL;
  g_autoptr(GAsyncResult) synced = NULL;
  g_autoptr(PdmSyncReport) sync_report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 start;
  double seconds;

  code = pdm_store_create_enrollment_code (store, NULL, g_get_real_time () / 1000 + 3600000,
                                           &error);
  if (code == NULL)
    g_error ("%s", error->message);
  pdm_sync_engine_enroll_async (engine, code, "bench", NULL, on_engine_done_cb, &enrolled);
  if (!pdm_sync_engine_enroll_finish (engine, wait_for (&enrolled), &error))
    g_error ("enroll: %s", error->message);

  start = g_get_monotonic_time ();
  *out_cpu = cpu_seconds ();
  pdm_sync_engine_sync_async (engine, NULL, on_engine_done_cb, &synced);
  sync_report = pdm_sync_engine_sync_finish (engine, wait_for (&synced), &error);
  seconds = seconds_since (start);
  *out_cpu = cpu_seconds () - *out_cpu;
  if (sync_report == NULL)
    g_error ("sync: %s", error->message);
  *out_pulled = sync_report->pulled;

  return seconds;
}

/* What a person would check after the first sync: every record arrived,
 * and the search index agrees with the records. */
static void
check_client (const char *path,
              guint       n_households,
              guint       n_persons)
{
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const checks[] = {
    "INSERT INTO person_fts (person_fts) VALUES ('integrity-check')",
    "INSERT INTO household_fts (household_fts) VALUES ('integrity-check')",
    "INSERT INTO volunteer_fts (volunteer_fts) VALUES ('integrity-check')",
  };
  sqlite3_stmt *stmt = NULL;
  guint counts[2] = { 0 };
  const char *tables[2] = { "household", "person" };
  sqlite3 *db;

  database = pdm_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);
  db = pdm_database_get_handle (database);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[t]);

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        g_error ("%s", sqlite3_errmsg (db));
      counts[t] = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  if (counts[0] != n_households || counts[1] != n_persons)
    g_error ("the client has %u households and %u persons, not %u and %u",
             counts[0], counts[1], n_households, n_persons);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (sqlite3_exec (db, checks[i], NULL, NULL, NULL) != SQLITE_OK)
      g_error ("%s: %s", checks[i], sqlite3_errmsg (db));
}

/* The baseline: the same rows through one prepared INSERT per table into a
 * fresh client file (same tables, indexes and triggers), one transaction. */
static double
plain_insert (const char *path,
              GPtrArray  *rows,
              double     *out_cpu)
{
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *statements[PDM_N_TABLES] = { NULL };
  sqlite3 *db;
  gint64 start;

  database = pdm_database_open (path, &error);
  if (database == NULL || !pdm_database_use_bulk_cache (database, &error))
    g_error ("%s", error->message);
  db = pdm_database_get_handle (database);

  start = g_get_monotonic_time ();
  *out_cpu = cpu_seconds ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint r = 0; r < rows->len; r++)
    {
      const PdmRecord *record = g_ptr_array_index (rows, r);
      const PdmTableInfo *info = record->info;
      sqlite3_stmt *stmt = statements[info->table];

      if (stmt == NULL)
        {
          g_autoptr(GString) sql = g_string_new (NULL);

          g_string_append_printf (sql, "INSERT INTO %s (id, _created", info->name);
          for (guint f = 0; f < info->n_fields; f++)
            g_string_append_printf (sql, ", %s", info->fields[f].name);
          g_string_append (sql, ") VALUES (?, ?");
          for (guint f = 0; f < info->n_fields; f++)
            g_string_append (sql, ", ?");
          g_string_append (sql, ")");
          if (sqlite3_prepare_v2 (db, sql->str, -1, &statements[info->table], NULL) != SQLITE_OK)
            g_error ("%s", sqlite3_errmsg (db));
          stmt = statements[info->table];
        }

      sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, "0190d0a4000000000000000000000001", -1, SQLITE_STATIC);
      for (guint f = 0; f < info->n_fields; f++)
        sqlite3_bind_text (stmt, f + 3, record->values[f], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  for (guint t = 0; t < PDM_N_TABLES; t++)
    sqlite3_finalize (statements[t]);
  *out_cpu = cpu_seconds () - *out_cpu;

  return seconds_since (start);
}

/* ---- many devices -------------------------------------------------------- */

typedef struct
{
  Server    *server;
  GPtrArray *tokens;       /* per device */
  GPtrArray *households;   /* per kelurahan: GPtrArray of row index */
  GPtrArray *rows;
  GPtrArray *stamps;
  GArray    *latencies_ms;
  guint      next_device;
  guint      n_running;
  guint      n_devices;
} Crowd;

typedef struct
{
  Crowd   *crowd;
  guint    device;
  guint    push;
  PdmHlc  *hlc;
  gint64   sent;
} Device;

static void send_next_push (Device *device);

static void
on_push_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Device *device = user_data;
  Crowd *crowd = device->crowd;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  double ms;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  ms = (g_get_monotonic_time () - device->sent) / 1000.0;
  if (bytes == NULL)
    g_error ("push: %s", error->message);
  answer = parse_answer (msg, bytes);
  check_refused (answer);
  g_array_append_val (crowd->latencies_ms, ms);

  if (++device->push < EDITS_PER_DEV / EDITS_PER_PUSH)
    {
      send_next_push (device);
      return;
    }

  pdm_hlc_free (device->hlc);
  crowd->n_running--;
  if (crowd->next_device < crowd->n_devices)
    {
      device->device = crowd->next_device++;
      device->push = 0;
      device->hlc = pdm_hlc_new (0x1000 + device->device, 0);
      crowd->n_running++;
      send_next_push (device);
    }
  else
    g_free (device);
}

static void
send_next_push (Device *device)
{
  Crowd *crowd = device->crowd;
  GPtrArray *mine = g_ptr_array_index (crowd->households,
                                       device->device % G_N_ELEMENTS (kelurahan_codes));
  g_autoptr(JsonBuilder) builder = begin_batch ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  for (guint e = 0; e < EDITS_PER_PUSH; e++)
    {
      guint n = device->device * EDITS_PER_DEV + device->push * EDITS_PER_PUSH + e;
      guint index = GPOINTER_TO_UINT (g_ptr_array_index (mine, n % mine->len));
      const PdmRecord *household = g_ptr_array_index (crowd->rows, index);
      char note[64];

      g_snprintf (note, sizeof note, "Kunjungan %u", n);
      add_edit_mutation (builder, pdm_hlc_tick (device->hlc), "household", household->id,
                         "notes", note, g_ptr_array_index (crowd->stamps, index));
    }
  body = end_batch (builder, NULL);
  msg = new_request (crowd->server, "POST", "api/v1/push",
                     g_ptr_array_index (crowd->tokens, device->device), body, TRUE);
  device->sent = g_get_monotonic_time ();
  soup_session_send_and_read_async (crowd->server->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_push_cb, device);
}

static void
bench_devices (Server    *server,
               PdmStore  *store,
               GPtrArray *rows,
               GPtrArray *stamps)
{
  Crowd crowd = { server };
  gint64 start;
  double seconds;

  crowd.rows = rows;
  crowd.stamps = stamps;
  crowd.n_devices = opt_devices;
  crowd.tokens = g_ptr_array_new_with_free_func (g_free);
  crowd.households = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  crowd.latencies_ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint k = 0; k < G_N_ELEMENTS (kelurahan_codes); k++)
    g_ptr_array_add (crowd.households, g_ptr_array_new ());
  for (guint r = 0; r < rows->len; r++)
    {
      const PdmRecord *record = g_ptr_array_index (rows, r);

      if (record->info->table != PDM_TABLE_HOUSEHOLD)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (kelurahan_codes); k++)
        if (g_strcmp0 (pdm_record_get (record, "kelurahan_code"), kelurahan_codes[k]) == 0)
          g_ptr_array_add (g_ptr_array_index (crowd.households, k), GUINT_TO_POINTER (r));
    }

  start = g_get_monotonic_time ();
  for (guint d = 0; d < crowd.n_devices; d++)
    g_ptr_array_add (crowd.tokens, enroll (server, store,
                                           kelurahan_codes[d % G_N_ELEMENTS (kelurahan_codes)],
                                           0x1000 + d));
  report ("devices_enroll", seconds_since (start), "s");

  start = g_get_monotonic_time ();
  while (crowd.next_device < MIN (crowd.n_devices, (guint) opt_concurrent))
    {
      Device *device = g_new0 (Device, 1);

      device->crowd = &crowd;
      device->device = crowd.next_device++;
      device->hlc = pdm_hlc_new (0x1000 + device->device, 0);
      crowd.n_running++;
      send_next_push (device);
    }
  while (crowd.n_running > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = seconds_since (start);

  report ("devices_count", crowd.n_devices, "devices");
  report ("devices_edits", (double) crowd.n_devices * EDITS_PER_DEV, "edits");
  report ("devices_concurrent", MIN (crowd.n_devices, (guint) opt_concurrent), "devices");
  report ("devices_total", seconds, "s");
  report ("devices_edits_per_s", crowd.n_devices * EDITS_PER_DEV / seconds, "edits/s");
  report ("devices_push_p50",
          pdm_bench_median ((double *) (gpointer) crowd.latencies_ms->data,
                            crowd.latencies_ms->len), "ms");
  report ("devices_push_p99",
          pdm_bench_percentile ((double *) (gpointer) crowd.latencies_ms->data,
                                crowd.latencies_ms->len, 99), "ms");

  g_array_unref (crowd.latencies_ms);
  g_ptr_array_unref (crowd.households);
  g_ptr_array_unref (crowd.tokens);
}

/* ---- edits on the wire --------------------------------------------------- */

static void
bench_edit_bytes (Server     *server,
                  const char *token,
                  guint64     device_id,
                  GPtrArray  *rows,
                  GPtrArray  *stamps)
{
  g_autoptr(PdmHlc) hlc = pdm_hlc_new (device_id, g_get_real_time () / 1000 << 16);
  g_autoptr(JsonBuilder) builder = begin_batch ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gsize plain_size;
  gint64 start;

  for (guint e = 0; e < N_EDITS; e++)
    {
      guint index = (e * 7919) % rows->len;
      const PdmRecord *record = g_ptr_array_index (rows, index);
      char note[64];

      g_snprintf (note, sizeof note, "Catatan %u", e);
      add_edit_mutation (builder, pdm_hlc_tick (hlc), record->info->name, record->id, "notes",
                         note, g_ptr_array_index (stamps, index));
    }
  body = end_batch (builder, &plain_size);

  start = g_get_monotonic_time ();
  answer = request (server, "POST", "api/v1/push", token, body, TRUE);
  check_refused (answer);

  report ("edit_push_1000", seconds_since (start), "s");
  report ("edit_wire_bytes_gzip", g_bytes_get_size (body) / (double) N_EDITS, "bytes/edit");
  report ("edit_wire_bytes_plain", plain_size / (double) N_EDITS, "bytes/edit");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) stamps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PdmStore) store = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *reader = NULL;
  g_autofree char *client_dir = NULL;
  g_autofree char *client_path = NULL;
  g_autofree char *plain_path = NULL;
  g_autofree char *kept = NULL;
  Server server = { NULL };
  PullStats stats = { 0 };
  double fetch_s, sync_s, insert_s, sync_cpu_s, insert_cpu_s;
  guint n_households = 0;
  guint n_pulled = 0;
  gboolean reuse;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_server == NULL)
    opt_server = g_strdup (g_getenv ("PDM_SERVER_PATH"));
  if (opt_server == NULL)
    {
      g_autofree char *bench_dir = g_path_get_dirname (argv[0]);

      opt_server = g_build_filename (bench_dir, "..", "server", "pendamping-server", NULL);
    }
  if (opt_server_data != NULL)
    kept = g_build_filename (opt_server_data, PDM_SQLITE_STORE_FILENAME, NULL);
  reuse = kept != NULL && g_file_test (kept, G_FILE_TEST_IS_REGULAR);

  /* The engine keeps its token in a file rather than asking a keyring. */
  g_setenv ("PENDAMPING_TOKEN_STORE", "file", TRUE);

  rows = load_rows ();
  for (guint r = 0; r < rows->len; r++)
    n_households += ((PdmRecord *) g_ptr_array_index (rows, r))->info->table == PDM_TABLE_HOUSEHOLD;
  report ("data_households", n_households, "rows");
  report ("data_persons", rows->len - n_households, "rows");

  server_start (&server, reuse ? opt_server_data : NULL);
  store = pdm_sqlite_store_new (server.data_dir, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  if (!reuse)
    {
      double load_s;

      loader = enroll (&server, store, NULL, 0xd1);
      load_s = load_by_push (&server, loader, 0xd1, rows, stamps);
      report ("load_push", load_s, "s");
      report ("load_push_rate", rows->len / load_s, "rows/s");
    }

  /* The server's side of a fresh Dinas device's first pull... */
  reader = enroll (&server, store, NULL, 0xd2);
  fetch_s = fetch_all_pages (&server, reader, &stats);
  report ("pull_fetch", fetch_s, "s");
  report ("pull_fetch_server_cpu", stats.server_cpu, "s");
  report ("pull_fetch_pages", stats.n_pages, "requests");
  report ("pull_fetch_wire", stats.wire_bytes / 1e6, "MB");
  report ("pull_fetch_plain", stats.plain_bytes / 1e6, "MB");

  /* ... and the whole of it, through the app's engine, against one
   * prepared INSERT per row into the same schema. */
  client_dir = g_dir_make_tmp ("pendamping-sync-bench-client-XXXXXX", &error);
  g_assert_no_error (error);
  client_path = g_build_filename (client_dir, "pendamping.db", NULL);
  plain_path = g_build_filename (client_dir, "plain.db", NULL);
  server_new_session (&server);
  sync_s = initial_sync (&server, store, client_path, &n_pulled, &sync_cpu_s);
  insert_s = plain_insert (plain_path, rows, &insert_cpu_s);
  check_client (client_path, n_households, rows->len - n_households);
  report ("initial_sync", sync_s, "s");
  report ("initial_sync_rows_per_s", rows->len / sync_s, "rows/s");
  report ("initial_sync_changes", n_pulled, "changes");
  report ("initial_sync_cpu", sync_cpu_s, "s");
  report ("plain_insert", insert_s, "s");
  report ("plain_insert_rows_per_s", rows->len / insert_s, "rows/s");
  report ("plain_insert_cpu", insert_cpu_s, "s");
  report ("initial_sync_vs_plain_insert", sync_s / insert_s, "x");

  if (!reuse)
    {
      server_new_session (&server);
      bench_edit_bytes (&server, loader, 0xd1, rows, stamps);
      server_new_session (&server);
      if (opt_devices > 0)
        bench_devices (&server, store, rows, stamps);
    }

  g_clear_object (&store);
  server_stop (&server, reuse ? NULL : opt_server_data);
  {
    g_autoptr(GDir) dir = g_dir_open (client_dir, 0, NULL);
    const char *name;

    /* The two databases and whatever the engine left beside them. */
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (client_dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (client_dir);
  }

  return 0;
}
