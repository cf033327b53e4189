/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-preferences-window.h"
#include "pdm-sync-client.h"
#include "pdm-sync-engine.h"
#include "pdm-ui-util.h"

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

  /* The enrollment and the status read for the rows below it. */
  GCancellable         *enroll_cancellable;
  AdwEntryRow          *device_name_row;
  AdwEntryRow          *code_row;
  GtkSpinner           *code_spinner;
  GtkLabel             *code_error_label;
  AdwActionRow         *scope_row;
  AdwActionRow         *token_row;
};

G_DEFINE_FINAL_TYPE (PdmPreferencesWindow, pdm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void update_enrollment (PdmPreferencesWindow *self);

PdmPreferencesWindow *
pdm_preferences_window_new (PdmApplication *application)
{
  PdmPreferencesWindow *self;
  g_autofree char *device_name = NULL;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);

  self = g_object_new (PDM_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                         pdm_application_get_server_url (application));

  /* Translators: the default device name; %s is the computer's host name */
  device_name = g_strdup_printf (_("PC %s"), g_get_host_name ());
  gtk_editable_set_text (GTK_EDITABLE (self->device_name_row), device_name);
  g_signal_connect_object (application, "notify::sync-scheduler",
                           G_CALLBACK (update_enrollment), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::server-url",
                           G_CALLBACK (update_enrollment), self, G_CONNECT_SWAPPED);
  update_enrollment (self);

  return self;
}

/* The reason under @row, in place, or none with %NULL. */
static void
show_row_error (AdwEntryRow *row,
                GtkLabel    *label,
                const char  *message)
{
  gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_server_error (PdmPreferencesWindow *self,
                   const char           *message)
{
  show_row_error (self->server_row, self->server_error_label, message);
}

static void
set_spinning (GtkSpinner *spinner,
              gboolean    spinning)
{
  gtk_widget_set_visible (GTK_WIDGET (spinner), spinning);
  gtk_spinner_set_spinning (spinner, spinning);
}

static void
set_probing (PdmPreferencesWindow *self,
             gboolean              probing)
{
  set_spinning (self->server_spinner, probing);
}

static void
add_toast (PdmPreferencesWindow *self,
           const char           *title)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), pdm_toast_new (title));
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

/* --- enrollment ------------------------------------------------------------ */

static void
show_scope (PdmPreferencesWindow *self,
            const PdmSyncStatus  *status)
{
  g_autofree char *scope = NULL;

  if (status == NULL || status->server_id == NULL)
    {
      adw_action_row_set_subtitle (self->scope_row, _("Not enrolled"));
      return;
    }

  if (status->kelurahan_code != NULL)
    {
      PdmRegions *regions = pdm_application_get_regions (self->application);
      const char *name = pdm_regions_get_name (regions, status->kelurahan_code);

      /* Translators: a kelurahan's name and its code */
      scope = g_strdup_printf (_("Kelurahan %s (%s)"), name != NULL ? name : "?",
                               status->kelurahan_code);
    }
  else
    {
      scope = g_strdup (_("The whole city (Dinas Sosial)"));
    }

  if (status->device_name != NULL)
    {
      g_autofree char *text = g_steal_pointer (&scope);

      /* Translators: the scope, then the name this computer was enrolled with */
      scope = g_strdup_printf (_("%s, as “%s”"), text, status->device_name);
    }
  adw_action_row_set_subtitle (self->scope_row, scope);
}

static void
on_status_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdmPreferencesWindow) self = user_data;
  g_autoptr(PdmSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = pdm_sync_engine_get_status_finish (PDM_SYNC_ENGINE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_scope (self, status);
  if (status != NULL && status->device_name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->device_name_row), status->device_name);
}

/* Where the token is kept and what this computer is enrolled for. */
static void
update_enrollment (PdmPreferencesWindow *self)
{
  PdmSyncEngine *engine = pdm_application_get_sync_engine (self->application);
  PdmTokenStore *store;
  g_autofree char *token_text = NULL;

  if (engine == NULL)
    {
      adw_action_row_set_subtitle (self->scope_row,
                                   _("Not enrolled: set the server address first"));
      adw_action_row_set_subtitle (self->token_row, "");
      return;
    }

  store = pdm_sync_engine_get_token_store (engine);
  if (pdm_token_store_uses_keyring (store))
    token_text = g_strdup (pdm_token_store_get_backend_name (store));
  else
    token_text = g_strdup_printf ("%s. %s", pdm_token_store_get_backend_name (store),
                                  _("Only your user account can read that file."));
  adw_action_row_set_subtitle (self->token_row, token_text);

  pdm_sync_engine_get_status_async (engine, self->enroll_cancellable, on_status_cb,
                                    g_object_ref (self));
}

static void
set_enrolling (PdmPreferencesWindow *self,
               gboolean              enrolling)
{
  set_spinning (self->code_spinner, enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_name_row), !enrolling);
}

static void
enroll_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!pdm_sync_engine_enroll_finish (PDM_SYNC_ENGINE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_enrolling (self, FALSE);
      message = g_strdup_printf (_("This computer was not enrolled. %s"), error->message);
      show_row_error (self->code_row, self->code_error_label, message);
      return;
    }

  set_enrolling (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  add_toast (self, _("This computer is enrolled and starts syncing"));
  /* The application finds the token and starts syncing; the rows follow. */
  pdm_application_reload_sync (self->application);
}

static void
on_code_row_apply_cb (PdmPreferencesWindow *self)
{
  PdmSyncEngine *engine = pdm_application_get_sync_engine (self->application);
  g_autofree char *code = NULL;
  g_autofree char *device_name = NULL;

  code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  device_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->device_name_row))));

  if (engine == NULL)
    {
      show_row_error (self->code_row, self->code_error_label,
                      _("Set and save the server address above first."));
      return;
    }
  if (*code == '\0')
    {
      show_row_error (self->code_row, self->code_error_label,
                      _("Enter the enrollment code from the Dinas Sosial."));
      return;
    }
  if (*device_name == '\0')
    {
      g_free (device_name);
      device_name = g_strdup_printf (_("PC %s"), g_get_host_name ());
    }

  show_row_error (self->code_row, self->code_error_label, NULL);
  set_enrolling (self, TRUE);
  pdm_sync_engine_enroll_async (engine, code, device_name, self->enroll_cancellable,
                                enroll_cb, g_object_ref (self));
}

static void
on_code_row_changed_cb (PdmPreferencesWindow *self)
{
  show_row_error (self->code_row, self->code_error_label, NULL);
}

static void
pdm_preferences_window_dispose (GObject *object)
{
  PdmPreferencesWindow *self = (PdmPreferencesWindow *)object;

  g_cancellable_cancel (self->enroll_cancellable);
  g_clear_object (&self->enroll_cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, device_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, code_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, scope_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPreferencesWindow, token_row);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_code_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_code_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_changed_cb);
}

static void
pdm_preferences_window_init (PdmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->enroll_cancellable = g_cancellable_new ();
}
