/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-quarantine-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-editor.h"
#include "pdm-person-editor.h"
#include "pdm-quarantine-window.h"
#include "pdm-record-labels.h"
#include "pdm-sync-log.h"
#include "pdm-ui-util.h"

/* The records whose writes the server refused, one row each, with its
 * reason. "Fix" opens the record's editor: saving sends the refused fields
 * again, and the refusal is forgotten. "Drop" forgets it, leaving the
 * record here as it is. Sync never waits for these. */
struct _PdmQuarantineWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  guint            n_items;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (PdmQuarantineWindow, pdm_quarantine_window, ADW_TYPE_WINDOW)

static void reload (PdmQuarantineWindow *self);

static const char *
describe_reason (const char *reason)
{
  if (g_strcmp0 (reason, "out-of-scope") == 0)
    return _("Outside the kelurahan of this computer");
  if (g_strcmp0 (reason, "unknown-table") == 0 || g_strcmp0 (reason, "unknown-field") == 0)
    return _("The server does not know this kind of data");
  if (g_strcmp0 (reason, "invalid-value") == 0)
    return _("The server does not accept this value");
  if (g_strcmp0 (reason, "immutable") == 0)
    return _("A submitted form cannot be changed");
  if (g_strcmp0 (reason, "read-only") == 0)
    return _("Forms are changed on the server only");

  return reason;
}

/* Forgets @item's refusal, after sending its fields again when @fixed. */
static void
settle_item (PdmQuarantineWindow     *self,
             const PdmQuarantineItem *item,
             gboolean                 fixed)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (fixed)
    ok = pdm_sync_log_fix_quarantine (repository, item, &error);
  else
    ok = pdm_sync_log_drop_quarantine (pdm_repository_get_database (repository), item, &error);
  if (!ok)
    adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));

  /* The header bar's count follows. */
  pdm_application_records_changed (self->application,
                                   pdm_table_info_lookup (item->table)->table);
  reload (self);
}

static void
on_drop_clicked_cb (GtkButton           *button,
                    PdmQuarantineWindow *self)
{
  settle_item (self, g_object_get_data (G_OBJECT (button), "pdm-item"), FALSE);
}

static void
on_fixed_cb (PdmQuarantineWindow *self,
             PdmRecord           *record,
             GStrv                warnings,
             PdmRecordEditor     *editor)
{
  settle_item (self, g_object_get_data (G_OBJECT (editor), "pdm-item"), TRUE);
}

static void
on_fix_clicked_cb (GtkButton           *button,
                   PdmQuarantineWindow *self)
{
  PdmQuarantineItem *item = g_object_get_data (G_OBJECT (button), "pdm-item");
  PdmRepository *repository = pdm_application_get_repository (self->application);
  const PdmTableInfo *info = pdm_table_info_lookup (item->table);
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *editor;

  record = pdm_repository_get (repository, info->table, item->row_id, &error);
  if (record == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
      return;
    }

  if (info->table == PDM_TABLE_HOUSEHOLD)
    editor = GTK_WINDOW (pdm_household_editor_new (self->application, record));
  else
    editor = GTK_WINDOW (pdm_person_editor_new (self->application,
                                                pdm_record_get (record, "household_id"),
                                                record));

  g_object_set_data_full (G_OBJECT (editor), "pdm-item",
                          pdm_sync_log_copy_quarantine_item (item),
                          (GDestroyNotify) pdm_quarantine_item_free);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_fixed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (editor, GTK_WINDOW (self));
  gtk_window_present (editor);
}

static GtkWidget *
item_row_new (PdmQuarantineWindow *self,
              PdmQuarantineItem   *item)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  const PdmTableInfo *info = pdm_table_info_lookup (item->table);
  g_autofree char *title = pdm_record_describe (repository, item->table, item->row_id);
  g_autofree char *time = pdm_format_time (item->time);
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  for (guint i = 0; item->fields[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (fields, ", ");
      g_string_append (fields, pdm_field_get_label (item->table, item->fields[i]));
    }

  if (item->message != NULL)
    /* Translators: the reason, the server's words, when it refused, then
     * the refused fields */
    subtitle = g_strdup_printf (_("%s (%s), %s\n%s"), describe_reason (item->reason),
                                item->message, time, fields->str);
  else
    /* Translators: the reason, when it refused, then the refused fields */
    subtitle = g_strdup_printf (_("%s, %s\n%s"), describe_reason (item->reason), time,
                                fields->str);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  /* The editors exist for households and their members. */
  if (info != NULL && (info->table == PDM_TABLE_HOUSEHOLD || info->table == PDM_TABLE_PERSON))
    {
      button = gtk_button_new_with_mnemonic (_("_Fix"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "pdm-item", pdm_sync_log_copy_quarantine_item (item),
                              (GDestroyNotify) pdm_quarantine_item_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_fix_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  button = gtk_button_new_with_mnemonic (_("_Drop"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  g_object_set_data_full (G_OBJECT (button), "pdm-item", item,
                          (GDestroyNotify) pdm_quarantine_item_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_drop_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
reload (PdmQuarantineWindow *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  items = pdm_sync_log_list_quarantine (pdm_repository_get_database (repository), &error);
  if (items == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
      items = g_ptr_array_new ();
    }

  /* Each row owns its item from here. */
  g_ptr_array_set_free_func (items, NULL);
  self->n_items = items->len;
  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (self->list, item_row_new (self, g_ptr_array_index (items, i)));

  gtk_stack_set_visible_child_name (self->stack, self->n_items > 0 ? "list" : "empty");
}

PdmQuarantineWindow *
pdm_quarantine_window_new (PdmApplication *application)
{
  PdmQuarantineWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);

  self = g_object_new (PDM_TYPE_QUARANTINE_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  reload (self);

  return self;
}

guint
pdm_quarantine_window_get_n_items (PdmQuarantineWindow *self)
{
  g_return_val_if_fail (PDM_IS_QUARANTINE_WINDOW (self), 0);

  return self->n_items;
}

static void
pdm_quarantine_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDM_TYPE_QUARANTINE_WINDOW);

  G_OBJECT_CLASS (pdm_quarantine_window_parent_class)->dispose (object);
}

static void
pdm_quarantine_window_class_init (PdmQuarantineWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_quarantine_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-quarantine-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmQuarantineWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmQuarantineWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmQuarantineWindow, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdm_quarantine_window_init (PdmQuarantineWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
