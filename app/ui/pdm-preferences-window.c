/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-preferences-window.h"
#include "pdm-sync-client.h"

struct _PdmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  PdmApplication       *application;
  /* The address being tried; it is saved only once the server answers. */
  PdmSyncClient        *probe;
  GCancellable         *cancellable;

  AdwEntryRow          *server_row;
  GtkSpinner           *server_spinner;
  GtkLabel             *server_error_label;
};

G_DEFINE_FINAL_TYPE (PdmPreferencesWindow, pdm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

PdmPreferencesWindow *
pdm_preferences_window_new (PdmApplication *application)
{
  PdmPreferencesWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);

  self = g_object_new (PDM_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                         pdm_application_get_server_url (application));

  return self;
}

static void
show_server_error (PdmPreferencesWindow *self,
                   const char           *message)
{
  gtk_label_set_label (self->server_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->server_error_label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
}

static void
set_probing (PdmPreferencesWindow *self,
             gboolean              probing)
{
  gtk_widget_set_visible (GTK_WIDGET (self->server_spinner), probing);
  gtk_spinner_set_spinning (self->server_spinner, probing);
}

static void
add_toast (PdmPreferencesWindow *self,
           const char           *title)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
}

static void
probe_health_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdmPreferencesWindow) self = user_data;
  PdmSyncClient *probe = PDM_SYNC_CLIENT (object);
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  health = pdm_sync_client_check_health_finish (probe, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || probe != self->probe)
    return;

  set_probing (self, FALSE);

  if (health == NULL)
    {
      message = g_strdup_printf (_("The address was not saved. %s"), error->message);
      show_server_error (self, message);
      return;
    }

  pdm_application_set_server_url (self->application, pdm_sync_client_get_server_url (probe));
  message = g_strdup_printf (_("Connected to the server at %s"),
                             pdm_sync_client_get_server_url (probe));
  add_toast (self, message);
}

static void
on_server_row_apply_cb (PdmPreferencesWindow *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->probe);
  set_probing (self, FALSE);

  if (*url == '\0')
    {
      show_server_error (self, NULL);
      pdm_application_set_server_url (self->application, "");
      add_toast (self, _("No server set: Pendamping works offline"));
      return;
    }

  if (!pdm_sync_client_validate_url (url, &error))
    {
      show_server_error (self, error->message);
      return;
    }

  show_server_error (self, NULL);
  set_probing (self, TRUE);
  self->cancellable = g_cancellable_new ();
  self->probe = pdm_sync_client_new (url);
  pdm_sync_client_check_health_async (self->probe, self->cancellable,
                                      probe_health_cb, g_object_ref (self));
}

static void
on_server_row_changed_cb (PdmPreferencesWindow *self)
{
  show_server_error (self, NULL);
}

static void
pdm_preferences_window_dispose (GObject *object)
{
  PdmPreferencesWindow *self = (PdmPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->probe);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (pdm_preferences_window_parent_class)->dispose (object);
}

static void
pdm_preferences_window_class_init (PdmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, server_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, server_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_changed_cb);
}

static void
pdm_preferences_window_init (PdmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
