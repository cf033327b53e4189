/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-history-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-sync-history-window.h"
#include "pdm-sync-log.h"
#include "pdm-ui-util.h"

/* The last runs of sync and enrollment, newest first: when, what went
 * each way, how long it took, and the error of a failed one. */
#define HISTORY_LIMIT 200

struct _PdmSyncHistoryWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  guint            n_items;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (PdmSyncHistoryWindow, pdm_sync_history_window, ADW_TYPE_WINDOW)

static GtkWidget *
item_row_new (const PdmSyncHistoryItem *item)
{
  g_autofree char *time = pdm_format_time (item->time);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *seconds = g_strdup_printf ("%.1f", item->duration_ms / 1000.0);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  if (g_strcmp0 (item->kind, "enroll") == 0)
    /* Translators: %s is when it happened */
    title = g_strdup_printf (_("Enrollment, %s"), time);
  else
    /* Translators: %s is when it happened */
    title = g_strdup_printf (_("Sync, %s"), time);

  if (item->error != NULL)
    subtitle = g_strdup (item->error);
  else
    /* Translators: counts of changes, then seconds the run took */
    subtitle = g_strdup_printf (_("%u sent, %u received, %u refused, %u removed, in %s s"),
                                item->pushed, item->pulled, item->refused, item->removed,
                                seconds);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  icon = gtk_image_new_from_icon_name (item->error != NULL ? "dialog-warning-symbolic"
                                                           : "emblem-ok-symbolic");
  if (item->error != NULL)
    gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
reload (PdmSyncHistoryWindow *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  items = pdm_sync_log_list_history (pdm_repository_get_database (repository), HISTORY_LIMIT,
                                     &error);
  if (items == NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));

  self->n_items = items != NULL ? items->len : 0;
  for (guint i = 0; i < self->n_items; i++)
    gtk_list_box_append (self->list, item_row_new (g_ptr_array_index (items, i)));

  gtk_stack_set_visible_child_name (self->stack, self->n_items > 0 ? "list" : "empty");
}

static void
on_scheduler_state_cb (PdmSyncHistoryWindow *self)
{
  PdmSyncScheduler *scheduler = pdm_application_get_sync_scheduler (self->application);

  /* A run that ends adds its row. */
  if (scheduler != NULL && pdm_sync_scheduler_get_state (scheduler) != PDM_SYNC_STATE_SYNCING)
    reload (self);
}

PdmSyncHistoryWindow *
pdm_sync_history_window_new (PdmApplication *application)
{
  PdmSyncHistoryWindow *self;
  PdmSyncScheduler *scheduler;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);

  self = g_object_new (PDM_TYPE_SYNC_HISTORY_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  scheduler = pdm_application_get_sync_scheduler (application);
  if (scheduler != NULL)
    g_signal_connect_object (scheduler, "notify::state", G_CALLBACK (on_scheduler_state_cb),
                             self, G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

guint
pdm_sync_history_window_get_n_items (PdmSyncHistoryWindow *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_HISTORY_WINDOW (self), 0);

  return self->n_items;
}

static void
pdm_sync_history_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDM_TYPE_SYNC_HISTORY_WINDOW);

  G_OBJECT_CLASS (pdm_sync_history_window_parent_class)->dispose (object);
}

static void
pdm_sync_history_window_class_init (PdmSyncHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_sync_history_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-sync-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmSyncHistoryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncHistoryWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmSyncHistoryWindow, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdm_sync_history_window_init (PdmSyncHistoryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
