/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-server.h"

#define PROTOCOL_HEADER "X-Pendamping-Protocol"

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

/* Every endpoint of the protocol; docs/sync-protocol.md describes each. */
static const Route routes[] = {
  { "GET", "/api/v1/health", handle_health },
};

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *body;
  gsize length;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
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

  if (soup_server_listen (self->soup_server, G_SOCKET_ADDRESS (address), 0, &local_error))
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
