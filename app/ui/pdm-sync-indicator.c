/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-conflict-window.h"
#include "pdm-quarantine-window.h"
#include "pdm-sync-client.h"
#include "pdm-sync-history-window.h"
#include "pdm-sync-indicator.h"
#include "pdm-sync-log.h"
#include "pdm-ui-util.h"
#include "pdm-util.h"

/* The header bar's word on sync. Before this computer is enrolled it only
 * asks the server for its health; once enrolled it follows the
 * application's PdmSyncScheduler: offline, changes waiting, a run with its
 * progress, the last sync, or the last error in full in the popover, with
 * the way to the history, the conflict inbox and the quarantine. */
struct _PdmSyncIndicator
{
  GtkWidget              parent_instance;

  PdmApplication        *application;
  char                  *server_url;
  PdmSyncClient         *client;
  GCancellable          *cancellable;
  PdmSyncIndicatorState  state;

  PdmSyncScheduler      *scheduler;
  PdmSyncPhase           phase;
  guint                  done;
  guint                  total;
  guint                  n_conflicts;
  guint                  n_quarantined;

  GtkMenuButton         *button;
  GtkImage              *icon;
  GtkSpinner            *spinner;
  GtkLabel              *label;
  GtkProgressBar        *progress_bar;
  GtkLabel              *detail_label;
  GtkButton             *check_button;
  GtkWidget             *sync_box;
  GtkWidget             *sync_button;
  GtkLabel              *conflicts_label;
  GtkLabel              *quarantine_label;
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
    [PDM_SYNC_INDICATOR_NOT_ENROLLED] = "dialog-password-symbolic",
    [PDM_SYNC_INDICATOR_OFFLINE] = "network-offline-symbolic",
    [PDM_SYNC_INDICATOR_PENDING] = "document-send-symbolic",
    [PDM_SYNC_INDICATOR_SYNCING] = NULL,
    [PDM_SYNC_INDICATOR_SYNCED] = "emblem-ok-symbolic",
    [PDM_SYNC_INDICATOR_ERROR] = "dialog-warning-symbolic",
  };
  gboolean busy = state == PDM_SYNC_INDICATOR_CHECKING || state == PDM_SYNC_INDICATOR_SYNCING;
  gboolean failed = state == PDM_SYNC_INDICATOR_FAILED || state == PDM_SYNC_INDICATOR_ERROR ||
                    state == PDM_SYNC_INDICATOR_NOT_ENROLLED;

  gtk_widget_set_visible (GTK_WIDGET (self->icon), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (icon_names[state] != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_names[state]);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state == PDM_SYNC_INDICATOR_SYNCING);

  gtk_label_set_label (self->label, summary);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), detail);

  /* "Check Again" is the health check's; an enrolled computer syncs. */
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), self->scheduler == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button),
                            !busy && state != PDM_SYNC_INDICATOR_NO_SERVER);
  gtk_widget_set_visible (self->sync_box, self->scheduler != NULL);

  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), "warning");

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* --- while enrolled ----------------------------------------------------------- */

static void
update_counts (PdmSyncIndicator *self)
{
  PdmRepository *repository = NULL;
  g_autoptr(GPtrArray) conflicted = NULL;
  g_autofree char *conflicts_label = NULL;
  g_autofree char *quarantine_label = NULL;

  if (self->application != NULL)
    repository = pdm_application_get_repository (self->application);
  if (repository == NULL)
    return;

  conflicted = pdm_repository_list_conflicted_fields (repository, NULL);
  self->n_conflicts = conflicted != NULL ? conflicted->len : 0;
  self->n_quarantined = pdm_sync_log_count_quarantine (pdm_repository_get_database (repository));

  /* Translators: %u is how many conflicts wait for a choice */
  conflicts_label = g_strdup_printf (_("Conflict Inbox (%u)"), self->n_conflicts);
  gtk_label_set_label (self->conflicts_label, conflicts_label);
  /* Translators: %u is how many changes the server refused */
  quarantine_label = g_strdup_printf (_("Quarantine (%u)"), self->n_quarantined);
  gtk_label_set_label (self->quarantine_label, quarantine_label);
}

static char *
describe_progress (PdmSyncIndicator *self)
{
  switch (self->phase)
    {
    case PDM_SYNC_PHASE_PUSHING:
      /* Translators: changes sent to the server so far, of all to send */
      return g_strdup_printf (_("Sending changes: %u of %u"), self->done, self->total);

    case PDM_SYNC_PHASE_PULLING:
      return g_strdup_printf (ngettext ("Receiving changes: %u received",
                                        "Receiving changes: %u received",
                                        self->done),
                              self->done);

    case PDM_SYNC_PHASE_CONNECTING:
    default:
      return g_strdup_printf (_("Connecting to %s…"), self->server_url);
    }
}

static void
show_error (PdmSyncIndicator *self,
            const char       *message,
            gboolean          retrying)
{
  g_autofree char *detail = NULL;

  if (retrying)
    detail = g_strdup_printf ("%s\n\n%s", message,
                              _("Pendamping tries again by itself; the changes stay on this "
                                "computer meanwhile."));

  set_state (self, PDM_SYNC_INDICATOR_ERROR, _("Sync failed"),
             detail != NULL ? detail : message);
}

static void
update_from_scheduler (PdmSyncIndicator *self)
{
  PdmSyncScheduler *scheduler = self->scheduler;
  const char *last_error = pdm_sync_scheduler_get_last_error (scheduler);
  guint pending = pdm_sync_scheduler_get_pending (scheduler);
  gint64 last_sync = pdm_sync_scheduler_get_last_sync (scheduler);
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;

  switch (pdm_sync_scheduler_get_state (scheduler))
    {
    case PDM_SYNC_STATE_SYNCING:
      detail = describe_progress (self);
      if (self->phase == PDM_SYNC_PHASE_PUSHING && self->total > 0)
        gtk_progress_bar_set_fraction (self->progress_bar, (double) self->done / self->total);
      else
        gtk_progress_bar_pulse (self->progress_bar);
      set_state (self, PDM_SYNC_INDICATOR_SYNCING, _("Syncing…"), detail);
      return;

    case PDM_SYNC_STATE_UNAUTHORIZED:
      set_state (self, PDM_SYNC_INDICATOR_NOT_ENROLLED, _("Not enrolled"),
                 last_error != NULL ? last_error
                                    : _("This computer is not enrolled with the server; enter "
                                        "the enrollment code from the Dinas in Preferences."));
      return;

    case PDM_SYNC_STATE_OFFLINE:
      if (pending > 0)
        detail = g_strdup_printf (ngettext ("No network. %u change waits on this computer and "
                                            "is sent when the network is back.",
                                            "No network. %u changes wait on this computer and "
                                            "are sent when the network is back.",
                                            pending),
                                  pending);
      else
        detail = g_strdup (_("No network. Pendamping works offline and syncs when the "
                             "network is back."));
      set_state (self, PDM_SYNC_INDICATOR_OFFLINE, _("Offline"), detail);
      return;

    case PDM_SYNC_STATE_WAITING_RETRY:
      show_error (self, last_error != NULL ? last_error : _("Sync failed"), TRUE);
      return;

    case PDM_SYNC_STATE_IDLE:
    default:
      break;
    }

  if (last_error != NULL)
    {
      show_error (self, last_error, FALSE);
    }
  else if (pending > 0)
    {
      summary = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", pending),
                                 pending);
      set_state (self, PDM_SYNC_INDICATOR_PENDING, summary,
                 _("Changes made on this computer are sent to the server in a moment."));
    }
  else if (last_sync > 0)
    {
      g_autofree char *time = pdm_format_time (last_sync);

      /* Translators: %s is when the last sync ended, "10.42" or a date and time */
      summary = g_strdup_printf (_("Synced %s"), time);
      detail = g_strdup_printf (_("Everything on this computer is on the server at %s."),
                                self->server_url);
      set_state (self, PDM_SYNC_INDICATOR_SYNCED, summary, detail);
    }
  else
    {
      set_state (self, PDM_SYNC_INDICATOR_PENDING, _("Not synced yet"),
                 _("This computer is enrolled; it syncs as soon as it reaches the server."));
    }
}

static void
on_scheduler_changed_cb (PdmSyncIndicator *self)
{
  if (pdm_sync_scheduler_get_state (self->scheduler) != PDM_SYNC_STATE_SYNCING)
    {
      self->phase = PDM_SYNC_PHASE_CONNECTING;
      self->done = self->total = 0;
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
    }
  update_counts (self);
  update_from_scheduler (self);
}

static void
on_progress_cb (PdmSyncIndicator *self,
                PdmSyncPhase      phase,
                guint             done,
                guint             total)
{
  self->phase = phase;
  self->done = done;
  self->total = total;
  update_from_scheduler (self);
}

static void
on_records_changed_cb (PdmSyncIndicator *self)
{
  update_counts (self);
}

static void
on_sync_scheduler_changed_cb (PdmSyncIndicator *self)
{
  PdmSyncScheduler *scheduler = pdm_application_get_sync_scheduler (self->application);

  if (self->scheduler == scheduler)
    return;

  if (self->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scheduler, self);
      g_signal_handlers_disconnect_by_data (pdm_sync_scheduler_get_engine (self->scheduler), self);
    }
  g_set_object (&self->scheduler, scheduler);

  if (scheduler == NULL)
    {
      pdm_sync_indicator_check (self);
      return;
    }

  /* Enrolled: the scheduler speaks for the server from now on. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_signal_connect_object (scheduler, "notify", G_CALLBACK (on_scheduler_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pdm_sync_scheduler_get_engine (scheduler), "progress",
                           G_CALLBACK (on_progress_cb), self, G_CONNECT_SWAPPED);
  on_scheduler_changed_cb (self);
}

/**
 * pdm_sync_indicator_set_application:
 *
 * Follows the sync of @application once it is enrolled, and its records
 * for the conflict and quarantine counts.
 */
void
pdm_sync_indicator_set_application (PdmSyncIndicator *self,
                                    PdmApplication   *application)
{
  g_return_if_fail (PDM_IS_SYNC_INDICATOR (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = application;
  g_signal_connect_object (application, "notify::sync-scheduler",
                           G_CALLBACK (on_sync_scheduler_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "records-changed",
                           G_CALLBACK (on_records_changed_cb), self, G_CONNECT_SWAPPED);
  update_counts (self);
  on_sync_scheduler_changed_cb (self);
}

/* --- before enrollment: the health check --------------------------------------- */

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
  /* Not enrolled yet, or the scheduler would speak. */
  if (self->application != NULL)
    {
      g_autofree char *answers = g_steal_pointer (&detail);

      detail = g_strdup_printf ("%s %s", answers,
                                _("To sync, enter the enrollment code from the Dinas in "
                                  "Preferences."));
    }
  set_state (self, PDM_SYNC_INDICATOR_CONNECTED, _("Connected"), detail);
}

void
pdm_sync_indicator_check (PdmSyncIndicator *self)
{
  g_return_if_fail (PDM_IS_SYNC_INDICATOR (self));

  if (self->scheduler != NULL)
    {
      update_from_scheduler (self);
      return;
    }

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

/* --- the windows of the popover ------------------------------------------------ */

static void
show_window_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmSyncIndicator *self = PDM_SYNC_INDICATOR (widget);
  GtkWindow *window;

  if (self->application == NULL || pdm_application_get_repository (self->application) == NULL)
    return;

  gtk_menu_button_popdown (self->button);

  if (g_str_equal (action_name, "sync.conflicts"))
    window = GTK_WINDOW (pdm_conflict_window_new (self->application));
  else if (g_str_equal (action_name, "sync.quarantine"))
    window = GTK_WINDOW (pdm_quarantine_window_new (self->application));
  else
    window = GTK_WINDOW (pdm_sync_history_window_new (self->application));

  gtk_window_set_transient_for (window, GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (window);
}

/* A selectable label would take the focus and show all its text selected. */
static void
on_popover_show_cb (PdmSyncIndicator *self)
{
  gtk_widget_grab_focus (self->scheduler != NULL ? self->sync_button
                                                 : GTK_WIDGET (self->check_button));
  gtk_label_select_region (self->detail_label, 0, 0);
}

static void
on_sync_now_clicked_cb (PdmSyncIndicator *self)
{
  gtk_menu_button_popdown (self->button);
}

/* --- the object ---------------------------------------------------------------- */

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

guint
pdm_sync_indicator_get_n_conflicts (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), 0);

  return self->n_conflicts;
}

guint
pdm_sync_indicator_get_n_quarantined (PdmSyncIndicator *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_INDICATOR (self), 0);

  return self->n_quarantined;
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
  g_clear_object (&self->scheduler);
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
                      PDM_SYNC_INDICATOR_NO_SERVER, PDM_SYNC_INDICATOR_ERROR,
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
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, check_button);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, sync_box);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncIndicator, quarantine_label);
  gtk_widget_class_bind_template_callback (widget_class, on_check_again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_now_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "sync.history", NULL, show_window_activated);
  gtk_widget_class_install_action (widget_class, "sync.conflicts", NULL, show_window_activated);
  gtk_widget_class_install_action (widget_class, "sync.quarantine", NULL, show_window_activated);
}

static void
pdm_sync_indicator_init (PdmSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Start in the "no server" look until a URL arrives. */
  self->state = PDM_SYNC_INDICATOR_NO_SERVER;
  pdm_sync_indicator_check (self);
}
