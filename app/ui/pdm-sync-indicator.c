/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-sync-client.h"
#include "pdm-sync-indicator.h"
#include "pdm-util.h"

/* The header bar's word on the central server: none set, being asked,
 * answering, or failing with the reason in the popover. */
struct _PdmSyncIndicator
{
  GtkWidget              parent_instance;

  char                  *server_url;
  PdmSyncClient         *client;
  GCancellable          *cancellable;
  PdmSyncIndicatorState  state;

  GtkMenuButton         *button;
  GtkImage              *icon;
  GtkSpinner            *spinner;
  GtkLabel              *label;
  GtkLabel              *detail_label;
  GtkButton             *check_button;
};

G_DEFINE_FINAL_TYPE (PdmSyncIndicator, pdm_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (PdmSyncIndicator      *self,
           PdmSyncIndicatorState  state,
           const char            *summary,
           const char            *detail)
{
  static const char * const icon_names[] = {
    [PDM_SYNC_INDICATOR_NO_SERVER] = "network-offline-symbolic",
    [PDM_SYNC_INDICATOR_CHECKING] = NULL,
    [PDM_SYNC_INDICATOR_CONNECTED] = "network-transmit-receive-symbolic",
    [PDM_SYNC_INDICATOR_FAILED] = "network-error-symbolic",
  };
  gboolean checking = state == PDM_SYNC_INDICATOR_CHECKING;

  gtk_widget_set_visible (GTK_WIDGET (self->icon), !checking);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
  gtk_spinner_set_spinning (self->spinner, checking);
  if (icon_names[state] != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_names[state]);

  gtk_label_set_label (self->label, summary);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), detail);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button),
                            !checking && state != PDM_SYNC_INDICATOR_NO_SERVER);

  if (state == PDM_SYNC_INDICATOR_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), "warning");

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
check_health_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdmSyncIndicator) self = user_data;
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  health = pdm_sync_client_check_health_finish (PDM_SYNC_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      PDM_SYNC_CLIENT (object) != self->client)
    return;

  if (health == NULL)
    {
      set_state (self, PDM_SYNC_INDICATOR_FAILED, _("Server unreachable"), error->message);
      return;
    }

  detail = g_strdup_printf (_("The server at %s answers (Pendamping server %s)."),
                            self->server_url, health->version);
  set_state (self, PDM_SYNC_INDICATOR_CONNECTED, _("Connected"), detail);
}

void
pdm_sync_indicator_check (PdmSyncIndicator *self)
{
  g_return_if_fail (PDM_IS_SYNC_INDICATOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  if (self->server_url == NULL || *self->server_url == '\0')
    {
      set_state (self, PDM_SYNC_INDICATOR_NO_SERVER,
                 _("No server"),
                 _("Not connected to a server. Pendamping works offline; set the Dinas "
                   "Sosial server address in Preferences to sync."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->client = pdm_sync_client_new (self->server_url);
  set_state (self, PDM_SYNC_INDICATOR_CHECKING, _("Connecting…"), self->server_url);
  pdm_sync_client_check_health_async (self->client, self->cancellable,
                                      check_health_cb, g_object_ref (self));
}

static void
on_check_again_clicked_cb (PdmSyncIndicator *self)
{
  gtk_menu_button_popdown (self->button);
  pdm_sync_indicator_check (self);
}

const char *
pdm_sync_indicator_get_server_url (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), NULL);

  return self->server_url;
}

void
pdm_sync_indicator_set_server_url (PdmSyncIndicator *self,
                                   const char       *server_url)
{
  g_return_if_fail (PDM_IS_SYNC_INDICATOR (self));

  if (!pdm_set_string (&self->server_url, server_url))
    return;

  pdm_sync_indicator_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

PdmSyncIndicatorState
pdm_sync_indicator_get_state (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), PDM_SYNC_INDICATOR_NO_SERVER);

  return self->state;
}

const char *
pdm_sync_indicator_get_summary (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->label);
}

const char *
pdm_sync_indicator_get_detail (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->detail_label);
}

static void
pdm_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdmSyncIndicator *self = PDM_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdmSyncIndicator *self = PDM_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      pdm_sync_indicator_set_server_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_indicator_dispose (GObject *object)
{
  PdmSyncIndicator *self = (PdmSyncIndicator *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (pdm_sync_indicator_parent_class)->dispose (object);
}

static void
pdm_sync_indicator_finalize (GObject *object)
{
  PdmSyncIndicator *self = (PdmSyncIndicator *)object;

  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (pdm_sync_indicator_parent_class)->finalize (object);
}

static void
pdm_sync_indicator_class_init (PdmSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_sync_indicator_dispose;
  object_class->finalize = pdm_sync_indicator_finalize;
  object_class->get_property = pdm_sync_indicator_get_property;
  object_class->set_property = pdm_sync_indicator_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      PDM_SYNC_INDICATOR_NO_SERVER, PDM_SYNC_INDICATOR_FAILED,
                      PDM_SYNC_INDICATOR_NO_SERVER,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "syncindicator");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, check_button);
  gtk_widget_class_bind_template_callback (widget_class, on_check_again_clicked_cb);
}

static void
pdm_sync_indicator_init (PdmSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Start in the "no server" look until a URL arrives. */
  self->state = PDM_SYNC_INDICATOR_NO_SERVER;
  pdm_sync_indicator_check (self);
}
