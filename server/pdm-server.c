/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-hlc.h"
#include "pdm-error.h"
#include "pdm-server.h"

#define PROTOCOL_HEADER "X-Pendamping-Protocol"

/* Request bodies, after decompression. */
#define MAX_BODY_SIZE (8 * 1024 * 1024)

/* Answers smaller than this go out as they are: gzip would not pay. */
#define MIN_GZIP_SIZE 1024

/* Answers from this size on are compressed for speed rather than size. */
#define BIG_ANSWER_SIZE (256 * 1024)

/* A device clock further ahead than this is wrong (a dead CMOS battery). */
#define MAX_CLOCK_SKEW_MS (5 * 60 * 1000)

#define MAX_DEVICE_NAME 200

#define LISTEN_BACKLOG 512

struct _PdmServer
{
  GObject     parent_instance;

  PdmStore   *store;
  SoupServer *soup_server;
};

G_DEFINE_FINAL_TYPE (PdmServer, pdm_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef void (*RouteHandler) (PdmServer         *self,
                              SoupServerMessage *msg);

typedef struct
{
  const char   *method;
  const char   *path;
  RouteHandler  handler;
} Route;

static void handle_health (PdmServer         *self,
                           SoupServerMessage *msg);
static void handle_enroll (PdmServer         *self,
                           SoupServerMessage *msg);
static void handle_push   (PdmServer         *self,
                           SoupServerMessage *msg);
static void handle_pull   (PdmServer         *self,
                           SoupServerMessage *msg);
static void handle_forms  (PdmServer         *self,
                           SoupServerMessage *msg);

/* Every endpoint of the protocol; docs/sync-protocol.md describes each. */
static const Route routes[] = {
  { "GET", "/api/v1/health", handle_health },
  { "POST", "/api/v1/enroll", handle_enroll },
  { "POST", "/api/v1/push", handle_push },
  { "GET", "/api/v1/pull", handle_pull },
  { "GET", "/api/v1/forms", handle_forms },
};

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_list (headers, "Accept-Encoding");

  return accept != NULL && soup_header_contains (accept, "gzip");
}

/* Runs @data through @converter in one go. */
static GBytes *
convert_bytes (GConverter  *converter,
               GBytes      *data,
               gsize        max_size,
               gboolean    *out_too_large,
               GError     **error)
{
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) stream = g_converter_input_stream_new (source, converter);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  *out_too_large = FALSE;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (out->len + (gsize) n > max_size)
        {
          *out_too_large = TRUE;
          return NULL;
        }
      g_byte_array_append (out, buffer, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Sends @body (JSON text), gzip-compressed when it pays and the client
 * takes it. */
static void
send_json_bytes (SoupServerMessage *msg,
                 guint              status,
                 GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) out = g_bytes_ref (body);

  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  if (g_bytes_get_size (out) >= MIN_GZIP_SIZE && accepts_gzip (msg))
    {
      g_autoptr(GZlibCompressor) compressor = NULL;
      gboolean too_large;

      /* A big answer is a pull page of whole records: the fastest level
       * still shrinks it several times, and zlib's default would cost the
       * server more time than the network saves. */
      compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                          g_bytes_get_size (body) >= BIG_ANSWER_SIZE ? 1 : -1);

      /* Compressing bytes in memory cannot fail. */
      g_bytes_unref (out);
      out = convert_bytes (G_CONVERTER (compressor), body, G_MAXSIZE, &too_large, NULL);
      g_assert (out != NULL);
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), out);
}

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) body = NULL;
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (text, length);
  send_json_bytes (msg, status, body);
}

/* The error body of every endpoint: a stable code for programs and a
 * sentence for people. */
static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  send_json (msg, status, builder);
}

/* Health answers whatever protocol the client speaks: it is how a client of
 * another version learns that it cannot sync with this server. */
static void
handle_health (PdmServer         *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);

  if (!pdm_store_check (self->store, &error))
    {
      g_warning ("Health check failed: %s", error->message);

      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "error");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      json_builder_end_object (builder);

      send_json (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, builder);
      return;
    }

  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "protocol_version");
  json_builder_add_int_value (builder, PDM_PROTOCOL_VERSION);
  json_builder_set_member_name (builder, "server_id");
  json_builder_add_string_value (builder, pdm_store_get_server_id (self->store));
  json_builder_end_object (builder);

  send_json (msg, SOUP_STATUS_OK, builder);
}

/* Every endpoint but health needs the client to speak this server's
 * protocol: a different version would misread the answers. */
static gboolean
check_protocol (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *version = soup_message_headers_get_one (headers, PROTOCOL_HEADER);
  g_autofree char *message = NULL;

  if (version != NULL && g_str_equal (version, G_STRINGIFY (PDM_PROTOCOL_VERSION)))
    return TRUE;

  if (version == NULL)
    /* TRANSLATORS: %s is the name of an HTTP header, %d the protocol version */
    message = g_strdup_printf (_("The request has no %s header; this server speaks protocol "
                                 "version %d"),
                               PROTOCOL_HEADER, PDM_PROTOCOL_VERSION);
  else
    message = g_strdup_printf (_("This server speaks protocol version %d and the client "
                                 "speaks version %s; update the one that is older"),
                               PDM_PROTOCOL_VERSION, version);
  send_error (msg, SOUP_STATUS_BAD_REQUEST, "protocol-unsupported", message);

  return FALSE;
}

/* The store's own failures: the client should try again later. */
static void
send_store_error (SoupServerMessage *msg,
                  const GError      *error)
{
  g_warning ("The store failed: %s", error->message);
  send_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", error->message);
}

static void
send_bad_request (SoupServerMessage *msg,
                  const char        *message)
{
  send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", message);
}

/* The device behind the bearer token; on %NULL the answer is sent. */
static PdmDevice *
authenticate (PdmServer         *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GError) error = NULL;
  PdmDevice *device;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 ||
      authorization[7] == '\0')
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                  _("This request needs the device token of an enrolled device"));
      return NULL;
    }

  device = pdm_store_authenticate (self->store, authorization + 7, &error);
  if (device != NULL)
    return device;

  if (error->domain == PDM_STORE_ERROR)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", error->message);
    }
  else
    send_store_error (msg, error);

  return NULL;
}

/* The request body as a JSON object, decompressed when the client said so;
 * on %NULL the answer is sent. */
static JsonObject *
read_json_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonNode *root;

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") == 0)
    {
      g_autoptr(GZlibDecompressor) decompressor =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      g_autoptr(GBytes) plain = NULL;
      gboolean too_large;

      plain = convert_bytes (G_CONVERTER (decompressor), body, MAX_BODY_SIZE, &too_large, &error);
      if (too_large)
        {
          message = g_strdup_printf (_("The request body is larger than %d MiB"),
                                     MAX_BODY_SIZE / (1024 * 1024));
          send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", message);
          return NULL;
        }
      if (plain == NULL)
        {
          message = g_strdup_printf (_("The request body is not valid gzip: %s"), error->message);
          send_bad_request (msg, message);
          return NULL;
        }
      g_bytes_unref (body);
      body = g_steal_pointer (&plain);
    }
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      message = g_strdup_printf (_("The request body uses the encoding “%s”; this server "
                                   "takes gzip or none"),
                                 encoding);
      send_bad_request (msg, message);
      return NULL;
    }

  if (g_bytes_get_size (body) > MAX_BODY_SIZE)
    {
      message = g_strdup_printf (_("The request body is larger than %d MiB"),
                                 MAX_BODY_SIZE / (1024 * 1024));
      send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", message);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), &error))
    {
      message = g_strdup_printf (_("The request body is not valid JSON: %s"), error->message);
      send_bad_request (msg, message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      send_bad_request (msg, _("The request body must be a JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* A member that must be a string (or null, with @nullable); %FALSE when
 * it is missing or of another type. */
static gboolean
get_string_member (JsonObject  *object,
                   const char  *name,
                   gboolean     nullable,
                   const char **out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_value = NULL;
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return nullable;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *out_value = json_node_get_string (node);

  return TRUE;
}

/* 16 lowercase hex digits, not all zero: a device id or a mutation id. */
static gboolean
parse_hex16 (const char *text,
             guint64    *out_value)
{
  if (text == NULL || strlen (text) != 16 || strspn (text, "0123456789abcdef") != 16)
    return FALSE;

  *out_value = g_ascii_strtoull (text, NULL, 16);

  return *out_value != 0;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
handle_enroll (PdmServer         *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(PdmDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *name = NULL;
  const char *code, *device_id, *device_name;
  guint64 id;

  if (!check_protocol (msg) || (request = read_json_body (msg)) == NULL)
    return;

  if (!get_string_member (request, "code", FALSE, &code) ||
      !get_string_member (request, "device_id", FALSE, &device_id) ||
      !get_string_member (request, "device_name", FALSE, &device_name))
    {
      send_bad_request (msg, _("An enrollment needs the strings “code”, “device_id” and "
                               "“device_name”"));
      return;
    }

  if (!parse_hex16 (device_id, &id))
    {
      send_bad_request (msg, _("“device_id” must be 16 lowercase hexadecimal digits"));
      return;
    }

  name = g_strstrip (g_strdup (device_name));
  if (*name == '\0' || g_utf8_strlen (name, -1) > MAX_DEVICE_NAME || !g_utf8_validate (name, -1, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("“device_name” must be a name of 1 to %d "
                                                    "characters"),
                                                  MAX_DEVICE_NAME);

      send_bad_request (msg, message);
      return;
    }

  token = pdm_store_redeem_enrollment (self->store, code, device_id, name, now_ms (), &device,
                                       &error);
  if (token == NULL)
    {
      if (g_error_matches (error, PDM_STORE_ERROR, PDM_STORE_ERROR_ENROLLMENT_REFUSED))
        send_error (msg, SOUP_STATUS_FORBIDDEN, "enrollment-refused", error->message);
      else
        send_store_error (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string_or_null (builder, "device_id", device->id);
  add_string_or_null (builder, "token", token);
  json_builder_set_member_name (builder, "scope");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "kelurahan_code", device->kelurahan_code);
  json_builder_end_object (builder);
  add_string_or_null (builder, "server_id", pdm_store_get_server_id (self->store));
  json_builder_end_object (builder);

  send_json (msg, SOUP_STATUS_OK, builder);
}

/* What the protocol itself refuses, before the store is asked: unknown
 * tables and fields, malformed bases, values no replica may hold. */
static void
check_change (PdmMutation        *mutation,
              const PdmTableInfo *info,
              const char         *field,
              const char         *value)
{
  int index = pdm_table_info_find_field (info, field);
  g_autofree char *message = NULL;
  guint64 number;

  if (index < 0)
    {
      /* TRANSLATORS: the first %s is a table, the second a field name */
      message = g_strdup_printf (_("A %s record has no field “%s”"), info->name, field);
      pdm_mutation_refuse (mutation, "unknown-field", message);
      return;
    }

  if (g_str_equal (field, "deleted") && g_strcmp0 (value, "0") != 0 &&
      g_strcmp0 (value, "1") != 0)
    message = g_strdup (_("“deleted” must be \"0\" or \"1\""));
  else if (g_str_equal (field, "present") && g_strcmp0 (value, "0") != 0 &&
           g_strcmp0 (value, "1") != 0)
    message = g_strdup (_("“present” must be \"0\" or \"1\""));
  else if (g_str_equal (field, "desil") && value != NULL &&
           !g_ascii_string_to_unsigned (value, 10, 1, 10, &number, NULL))
    message = g_strdup (_("“desil” must be a number from 1 to 10"));
  else if (info->fields[index].is_integer && value != NULL &&
           !g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, NULL, NULL))
    message = g_strdup_printf (_("“%s” must be a whole number"), field);

  if (message != NULL)
    pdm_mutation_refuse (mutation, "invalid-value", message);
}

/* Turns one element of `mutations` into a PdmMutation whose stamps end
 * with @device_id. %NULL with @error for a shape the protocol does not
 * allow; a mutation with its refusal set for one it refuses alone. */
static PdmMutation *
parse_mutation (JsonNode    *node,
                guint        index,
                const char  *device_id,
                GError     **error)
{
  g_autoptr(PdmMutation) mutation = NULL;
  g_autoptr(GList) members = NULL;
  const PdmTableInfo *info;
  const char *id_text, *table, *row;
  JsonObject *object, *fields;
  JsonNode *fields_node;
  guint64 id, device;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad_shape;
  object = json_node_get_object (node);

  if (!get_string_member (object, "id", FALSE, &id_text) ||
      !get_string_member (object, "table", FALSE, &table) ||
      !get_string_member (object, "row", FALSE, &row) || *row == '\0' ||
      (fields_node = json_object_get_member (object, "fields")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (fields_node))
    goto bad_shape;

  if (!parse_hex16 (id_text, &id))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("Mutation %u: “id” must be 16 lowercase hexadecimal digits"), index);
      return NULL;
    }

  mutation = pdm_mutation_new (id, table, row);
  info = pdm_table_info_lookup (table);
  if (info == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a kind of record Pendamping "
                                                    "keeps"),
                                                  table);

      pdm_mutation_refuse (mutation, "unknown-table", message);
    }

  fields = json_node_get_object (fields_node);
  members = json_object_get_members (fields);
  if (members == NULL)
    goto bad_shape;

  parse_hex16 (device_id, &device);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *version_node = json_object_get_member (fields, field);
      char stamp[PDM_STAMP_LEN + 1];
      const char *value, *base = NULL;
      JsonObject *version;

      if (!JSON_NODE_HOLDS_OBJECT (version_node))
        goto bad_shape;
      version = json_node_get_object (version_node);
      if (!get_string_member (version, "value", TRUE, &value) ||
          (json_object_has_member (version, "base") &&
           !get_string_member (version, "base", TRUE, &base)))
        goto bad_shape;

      if (info == NULL)
        continue;

      pdm_stamp_format (id, device, stamp);
      if (!pdm_version_check_stamps (stamp, base))
        pdm_mutation_refuse (mutation, "invalid-value",
                             _("A “base” must be a stamp older than the write"));
      check_change (mutation, info, field, value);
      g_ptr_array_add (mutation->changes, pdm_change_new (table, row, field, stamp, base, value));
    }

  return g_steal_pointer (&mutation);

bad_shape:
  g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
               _("Mutation %u must be an object with the strings “id”, “table” and “row” and "
                 "an object “fields” of {\"value\": …, \"base\": …} objects"),
               index);
  return NULL;
}

/* The whole batch is parsed before anything is applied, so a malformed
 * request changes nothing. */
static GPtrArray *
parse_push (JsonObject        *request,
            const PdmDevice   *device,
            SoupServerMessage *msg)
{
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_mutation_free);
  JsonNode *version_node = json_object_get_member (request, "schema_version");
  JsonNode *mutations_node = json_object_get_member (request, "mutations");
  JsonArray *array;
  gint64 schema_version;

  if (version_node == NULL || json_node_get_value_type (version_node) != G_TYPE_INT64 ||
      mutations_node == NULL || !JSON_NODE_HOLDS_ARRAY (mutations_node))
    {
      send_bad_request (msg, _("A push needs an integer “schema_version” and an array "
                               "“mutations”"));
      return NULL;
    }

  schema_version = json_node_get_int (version_node);
  if (schema_version != PDM_RECORD_SCHEMA_VERSION)
    {
      g_autofree char *message =
        g_strdup_printf (_("This server keeps records of schema version %d; the client sent "
                           "version %d"),
                         PDM_RECORD_SCHEMA_VERSION,
                         (int) CLAMP (schema_version, G_MININT, G_MAXINT));

      send_error (msg, SOUP_STATUS_BAD_REQUEST, "schema-unsupported", message);
      return NULL;
    }

  array = json_node_get_array (mutations_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) error = NULL;
      PdmMutation *mutation = parse_mutation (json_array_get_element (array, i), i, device->id,
                                              &error);

      if (mutation == NULL)
        {
          send_bad_request (msg, error->message);
          return NULL;
        }
      g_ptr_array_add (mutations, mutation);
    }

  return g_steal_pointer (&mutations);
}

/* A stamp from the future would win every later edit on every replica:
 * the whole batch waits until the device's clock is fixed. */
static gboolean
check_clock (GPtrArray         *mutations,
             SoupServerMessage *msg)
{
  gint64 now = now_ms ();

  for (guint i = 0; i < mutations->len; i++)
    {
      const PdmMutation *mutation = g_ptr_array_index (mutations, i);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(GDateTime) stamped = NULL;
      g_autofree char *when = NULL;
      g_autofree char *message = NULL;

      if (!pdm_hlc_is_ahead (mutation->id, now, MAX_CLOCK_SKEW_MS))
        continue;

      stamped = g_date_time_new_from_unix_utc (pdm_hlc_get_wall_ms (mutation->id) / 1000);
      when = stamped != NULL ? g_date_time_format (stamped, "%Y-%m-%d %H:%M:%S UTC")
                             : g_strdup ("?");
      message = g_strdup_printf (_("The device’s clock is ahead of the server’s: a change is "
                                   "dated %s. Set the device’s date and time, then sync again"),
                                 when);

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      add_string_or_null (builder, "error", "clock-ahead");
      add_string_or_null (builder, "message", message);
      json_builder_set_member_name (builder, "server_time");
      json_builder_add_int_value (builder, now);
      json_builder_end_object (builder);
      send_json (msg, SOUP_STATUS_CONFLICT, builder);

      return FALSE;
    }

  return TRUE;
}

static void
handle_push (PdmServer         *self,
             SoupServerMessage *msg)
{
  g_autoptr(PdmDevice) device = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  guint64 applied_through = 0;
  char applied_hex[17];

  if (!check_protocol (msg) ||
      (device = authenticate (self, msg)) == NULL ||
      (request = read_json_body (msg)) == NULL ||
      (mutations = parse_push (request, device, msg)) == NULL ||
      !check_clock (mutations, msg))
    return;

  if (!pdm_store_push (self->store, device, mutations, now_ms (), &applied_through, &error))
    {
      send_store_error (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  g_snprintf (applied_hex, sizeof applied_hex, "%016" G_GINT64_MODIFIER "x", applied_through);
  add_string_or_null (builder, "applied_through", applied_through != 0 ? applied_hex : NULL);
  json_builder_set_member_name (builder, "refused");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mutations->len; i++)
    {
      const PdmMutation *mutation = g_ptr_array_index (mutations, i);
      char id_hex[17];

      if (mutation->refusal == NULL || mutation->skipped)
        continue;

      g_snprintf (id_hex, sizeof id_hex, "%016" G_GINT64_MODIFIER "x", mutation->id);
      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", id_hex);
      add_string_or_null (builder, "reason", mutation->refusal);
      add_string_or_null (builder, "message", mutation->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  send_json (msg, SOUP_STATUS_OK, builder);
}

/* The request's query parameters; %NULL when it has none. */
static GHashTable *
decode_query (SoupServerMessage *msg)
{
  const char *text = g_uri_get_query (soup_server_message_get_uri (msg));

  return text != NULL ? soup_form_decode (text) : NULL;
}

/* A query parameter as a number in [@min, @max]; @fallback when absent. */
static gboolean
get_query_number (GHashTable *query,
                  const char *name,
                  guint64     min,
                  guint64     max,
                  guint64     fallback,
                  guint64    *out_value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  *out_value = fallback;
  if (text == NULL)
    return TRUE;

  return g_ascii_string_to_unsigned (text, 10, min, max, out_value, NULL);
}

/* Appends @text as a JSON string (RFC 8259: quote, backslash and control
 * characters escaped; the store holds valid UTF-8), or null. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *run;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (run = text; *text != '\0'; text++)
    {
      guchar c = (guchar) *text;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, text - run);
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = text + 1;
    }
  g_string_append_len (out, run, text - run);
  g_string_append_c (out, '"');
}

/* TRUE when changes[@i] can join the row object that starts at @start:
 * same record, and a field the object does not name yet (a JSON object
 * names a member once). */
static gboolean
joins_row (GPtrArray *changes,
           guint      start,
           guint      i)
{
  const PdmChange *change = g_ptr_array_index (changes, i);
  const PdmChange *first = g_ptr_array_index (changes, start);

  if (!g_str_equal (change->table, first->table) || !g_str_equal (change->row_id, first->row_id))
    return FALSE;

  for (guint j = start; j < i; j++)
    if (g_str_equal (((const PdmChange *) g_ptr_array_index (changes, j))->field, change->field))
      return FALSE;

  return TRUE;
}

/* The pull answer, written straight from the page: a page is mostly whole
 * records, and a JsonBuilder tree of half a million nodes would cost more
 * than the database read. Consecutive writes of one record share one
 * object of `rows`; a record met again later, or a field written twice,
 * opens a new object, so the order of the writes holds. */
static GBytes *
write_pull_page (const PdmPullPage *page)
{
  GString *out = g_string_sized_new (256 + page->changes->len * 80);
  guint start = 0;

  if (page->reset)
    {
      g_string_append (out, "{\"reset\":true}");
      return g_string_free_to_bytes (out);
    }

  g_string_append_printf (out, "{\"cursor\":%" G_GINT64_FORMAT ",\"more\":%s,\"rows\":[",
                          page->cursor, page->more ? "true" : "false");
  for (guint i = 0; i < page->changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (page->changes, i);

      if (i == 0 || !joins_row (page->changes, start, i))
        {
          if (i > 0)
            g_string_append (out, "}},");
          start = i;
          g_string_append (out, "{\"table\":");
          append_json_string (out, change->table);
          g_string_append (out, ",\"row\":");
          append_json_string (out, change->row_id);
          g_string_append (out, ",\"fields\":{");
        }
      else
        g_string_append_c (out, ',');

      append_json_string (out, change->field);
      g_string_append (out, ":[");
      append_json_string (out, change->stamp);
      g_string_append_c (out, ',');
      append_json_string (out, change->base);
      g_string_append_c (out, ',');
      append_json_string (out, change->value);
      g_string_append_c (out, ']');
    }
  if (page->changes->len > 0)
    g_string_append (out, "}}");

  g_string_append (out, "],\"removed\":[");
  for (guint i = 0; i < page->removed->len; i++)
    {
      const PdmChange *removal = g_ptr_array_index (page->removed, i);

      g_string_append (out, i > 0 ? ",{\"table\":" : "{\"table\":");
      append_json_string (out, removal->table);
      g_string_append (out, ",\"row\":");
      append_json_string (out, removal->row_id);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");

  return g_string_free_to_bytes (out);
}

static void
handle_pull (PdmServer         *self,
             SoupServerMessage *msg)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(PdmDevice) device = NULL;
  g_autoptr(PdmPullPage) page = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint64 cursor, limit;

  if (!check_protocol (msg) || (device = authenticate (self, msg)) == NULL)
    return;

  query = decode_query (msg);

  if (!get_query_number (query, "cursor", 0, G_MAXINT64, 0, &cursor) ||
      !get_query_number (query, "limit", 1, G_MAXUINT32, PDM_STORE_PULL_DEFAULT, &limit))
    {
      send_bad_request (msg, _("“cursor” must be a number from 0 and “limit” a number from 1"));
      return;
    }

  page = pdm_store_pull (self->store, device, (gint64) cursor,
                         (guint) MIN (limit, PDM_STORE_PULL_MAX), now_ms (), &error);
  if (page == NULL)
    {
      send_store_error (msg, error);
      return;
    }

  body = write_pull_page (page);
  send_json_bytes (msg, SOUP_STATUS_OK, body);
}

/* Keeps the newest version of each form of @forms, which is ordered by
 * key, then version from the oldest. */
static void
keep_newest_forms (GPtrArray *forms)
{
  for (guint i = forms->len; i-- > 1;)
    if (g_strcmp0 (pdm_record_get (g_ptr_array_index (forms, i - 1), "form_key"),
                   pdm_record_get (g_ptr_array_index (forms, i), "form_key")) == 0)
      g_ptr_array_remove_index (forms, i - 1);
}

/* One form of the answer, its definition as the JSON object it holds
 * rather than as text, so that a client reads the whole answer in one
 * parse. */
static gboolean
add_form (JsonBuilder      *builder,
          const PdmRecord  *form,
          GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *form_key = pdm_record_get (form, "form_key");
  const char *version = pdm_record_get (form, "version");
  const char *definition = pdm_record_get (form, "definition");
  JsonNode *root = NULL;

  /* Only the server writes forms, from definitions it checked; a broken
   * one means its database was edited by hand. */
  if (definition != NULL && json_parser_load_from_data (parser, definition, -1, NULL))
    root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   /* TRANSLATORS: %s is a form's key, such as psm-basic-pretest, then
                    * its version number */
                   _("The stored definition of the form “%s” version %s is not a JSON object"),
                   form_key, version);
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, form->id);
  add_string_or_null (builder, "form_key", form_key);
  json_builder_set_member_name (builder, "version");
  if (version != NULL)
    json_builder_add_int_value (builder, g_ascii_strtoll (version, NULL, 10));
  else
    json_builder_add_null_value (builder);
  add_string_or_null (builder, "title", pdm_record_get (form, "title"));
  add_string_or_null (builder, "kind", pdm_record_get (form, "kind"));
  json_builder_set_member_name (builder, "definition");
  json_builder_add_value (builder, json_node_copy (root));
  json_builder_end_object (builder);

  return TRUE;
}

static void
handle_forms (PdmServer         *self,
              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(PdmDevice) device = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  const char *form_key;
  guint64 version, latest;

  if (!check_protocol (msg) || (device = authenticate (self, msg)) == NULL)
    return;

  query = decode_query (msg);
  form_key = query != NULL ? g_hash_table_lookup (query, "key") : NULL;

  if (!get_query_number (query, "version", 1, G_MAXINT64, 0, &version) ||
      (version > 0 && form_key == NULL))
    {
      send_bad_request (msg, _("“version” must be a whole number from 1, given with “key”"));
      return;
    }
  if (!get_query_number (query, "latest", 0, 1, 0, &latest))
    {
      send_bad_request (msg, _("“latest” must be 0 or 1"));
      return;
    }

  forms = pdm_store_list_forms (self->store, form_key, (gint64) version, &error);
  if (forms == NULL)
    {
      send_store_error (msg, error);
      return;
    }

  /* A form asked for by name that is not there is an error, not an empty
   * list: the client would otherwise go on without it unaware. */
  if (forms->len == 0 && form_key != NULL)
    {
      g_autofree char *message = NULL;

      if (version > 0)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, version);

          /* TRANSLATORS: %s is a form's key, such as psm-basic-pretest, then a number */
          message = g_strdup_printf (_("The form “%s” has no version %s"), form_key, number);
        }
      else
        /* TRANSLATORS: %s is a form's key, such as psm-basic-pretest */
        message = g_strdup_printf (_("There is no form “%s”"), form_key);
      send_error (msg, SOUP_STATUS_NOT_FOUND, "unknown-form", message);
      return;
    }

  if (latest)
    keep_newest_forms (forms);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "forms");
  json_builder_begin_array (builder);
  for (guint i = 0; i < forms->len; i++)
    if (!add_form (builder, g_ptr_array_index (forms, i), &error))
      {
        send_store_error (msg, error);
        return;
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  send_json (msg, SOUP_STATUS_OK, builder);
}

/* Refuses a body that says it is too large before libsoup reads it. */
static void
on_early_request_cb (SoupServer        *soup_server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *message = NULL;

  if (soup_message_headers_get_content_length (headers) <= MAX_BODY_SIZE)
    return;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                PROTOCOL_HEADER, G_STRINGIFY (PDM_PROTOCOL_VERSION));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  message = g_strdup_printf (_("The request body is larger than %d MiB"),
                             MAX_BODY_SIZE / (1024 * 1024));
  send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", message);
}

static gboolean
method_matches (const Route *route,
                const char  *method)
{
  /* HEAD is GET without the body; libsoup leaves the body out itself. */
  if (g_str_equal (route->method, "GET") && g_str_equal (method, "HEAD"))
    return TRUE;

  return g_str_equal (route->method, method);
}

static void
on_request_cb (SoupServer        *soup_server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PdmServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autofree char *message = NULL;

  soup_message_headers_replace (response_headers, PROTOCOL_HEADER,
                                G_STRINGIFY (PDM_PROTOCOL_VERSION));

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!g_str_equal (routes[i].path, path))
        continue;

      if (method_matches (&routes[i], method))
        {
          routes[i].handler (self, msg);
          return;
        }

      if (allowed->len > 0)
        g_string_append (allowed, ", ");
      g_string_append (allowed, routes[i].method);
      if (g_str_equal (routes[i].method, "GET"))
        g_string_append (allowed, ", HEAD");
    }

  if (allowed->len > 0)
    {
      soup_message_headers_replace (response_headers, "Allow", allowed->str);
      /* TRANSLATORS: the first %s is an HTTP method, the second a path,
       * the third the list of methods that path takes */
      message = g_strdup_printf (_("%s is not allowed on %s; use %s"),
                                 method, path, allowed->str);
      send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", message);
      return;
    }

  message = g_strdup_printf (_("There is nothing at %s"), path);
  send_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", message);
}

static void
pdm_server_dispose (GObject *object)
{
  PdmServer *self = (PdmServer *) object;

  if (self->soup_server != NULL)
    soup_server_disconnect (self->soup_server);
  g_clear_object (&self->soup_server);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pdm_server_parent_class)->dispose (object);
}

static void
pdm_server_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdmServer *self = PDM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_server_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PdmServer *self = PDM_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_server_class_init (PdmServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdm_server_dispose;
  object_class->get_property = pdm_server_get_property;
  object_class->set_property = pdm_server_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PDM_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdm_server_init (PdmServer *self)
{
  self->soup_server = soup_server_new ("server-header", "pendamping-server/" PACKAGE_VERSION,
                                       NULL);
  soup_server_add_early_handler (self->soup_server, NULL, on_early_request_cb, self, NULL);
  soup_server_add_handler (self->soup_server, NULL, on_request_cb, self, NULL);
}

/**
 * pdm_server_new:
 * @store: where the server keeps its data
 *
 * Returns: (transfer full): a server that answers the Pendamping protocol
 *   once pdm_server_listen() is called
 */
PdmServer *
pdm_server_new (PdmStore *store)
{
  g_return_val_if_fail (PDM_IS_STORE (store), NULL);

  return g_object_new (PDM_TYPE_SERVER,
                       "store", store,
                       NULL);
}

/* GSocket's default backlog of 10 overflows when the server is busy with a
 * large push and a kelurahan's devices all connect at once; the kernel then
 * drops or resets their connections. */
static gboolean
listen_with_backlog (PdmServer           *self,
                     GInetSocketAddress  *address,
                     GError             **error)
{
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);

  return g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error) &&
         g_socket_listen (socket, error) &&
         soup_server_listen_socket (self->soup_server, socket, 0, error);
}

/**
 * pdm_server_listen:
 * @self: a #PdmServer
 * @address: where to listen; port 0 picks a free port
 * @error: return location for a #GError
 *
 * Starts answering requests on the thread-default main context.
 *
 * Returns: %TRUE on success; on failure @error names the address and port
 */
gboolean
pdm_server_listen (PdmServer           *self,
                   GInetSocketAddress  *address,
                   GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *host = NULL;
  guint port;

  g_return_val_if_fail (PDM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (listen_with_backlog (self, address, &local_error))
    return TRUE;

  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  port = g_inet_socket_address_get_port (address);

  /* The usual cause: another server, or this one started twice. */
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                 _("port %u on %s is already in use"), port, host);
  else
    g_set_error (error, local_error->domain, local_error->code,
                 _("cannot listen on port %u of %s: %s"), port, host, local_error->message);

  return FALSE;
}

/**
 * pdm_server_get_url:
 * @self: a listening #PdmServer
 *
 * Returns: (transfer full) (nullable): the base URL clients use, with the
 *   real port when port 0 was asked for; %NULL when not listening
 */
char *
pdm_server_get_url (PdmServer *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host_port = NULL;
  GSList *listeners;

  g_return_val_if_fail (PDM_IS_SERVER (self), NULL);

  /* Built from the socket rather than soup_server_get_uris(), which leaks
   * the address in libsoup 3.2. */
  listeners = soup_server_get_listeners (self->soup_server);
  if (listeners == NULL)
    return NULL;

  address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (address == NULL)
    return NULL;

  /* "127.0.0.1:PORT", or "[::1]:PORT" with the brackets a URL needs. */
  host_port = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

  return g_strdup_printf ("http://%s/", host_port);
}

/**
 * pdm_server_stop:
 * @self: a #PdmServer
 *
 * Closes the listening sockets and the open connections.
 */
void
pdm_server_stop (PdmServer *self)
{
  g_return_if_fail (PDM_IS_SERVER (self));

  soup_server_disconnect (self->soup_server);
}
