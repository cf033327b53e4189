/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-conflict-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-conflict-window.h"
#include "pdm-record-labels.h"
#include "pdm-ui-util.h"

/* The conflict inbox: each field whose concurrent values were kept, with
 * the current value and the kept ones, who wrote each and when. Choosing
 * one writes it anew (pdm_repository_resolve_conflict()), which settles
 * the field here and, once synced, everywhere. */
struct _PdmConflictWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  guint            n_fields;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkBox          *fields_box;
};

G_DEFINE_FINAL_TYPE (PdmConflictWindow, pdm_conflict_window, ADW_TYPE_WINDOW)

/* What a "Use This Value" button settles. */
typedef struct
{
  PdmTable  table;
  char     *row_id;
  char     *field;
  char     *value;
} Choice;

static void
choice_free (gpointer data)
{
  Choice *choice = data;

  g_free (choice->row_id);
  g_free (choice->field);
  g_free (choice->value);
  g_free (choice);
}

static void
on_use_clicked_cb (GtkButton         *button,
                   PdmConflictWindow *self)
{
  const Choice *choice = g_object_get_data (G_OBJECT (button), "pdm-choice");
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GError) error = NULL;

  if (!pdm_repository_resolve_conflict (repository, choice->table, choice->row_id,
                                        choice->field, choice->value, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
      return;
    }

  /* The lists, this inbox and the scheduler hear of the new write. */
  pdm_application_records_changed (self->application, choice->table);
}

static GtkWidget *
version_row_new (PdmConflictWindow *self,
                 const PdmChange   *field,
                 const char        *value,
                 const char        *stamp,
                 gboolean           current)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autofree char *title = pdm_value_describe (value);
  g_autofree char *written = pdm_stamp_describe (repository, stamp);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  Choice *choice = g_new0 (Choice, 1);

  /* Translators: "Current value: this computer, 10.42" */
  subtitle = g_strdup_printf (current ? _("Current value: %s") : _("Kept value: %s"), written);
  /* Values are what people typed, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  button = gtk_button_new_with_mnemonic (_("_Use This Value"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  choice->table = pdm_table_info_lookup (field->table)->table;
  choice->row_id = g_strdup (field->row_id);
  choice->field = g_strdup (field->field);
  choice->value = g_strdup (value);
  g_object_set_data_full (G_OBJECT (button), "pdm-choice", choice, choice_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_use_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static GtkWidget *
field_group_new (PdmConflictWindow  *self,
                 const PdmChange    *field,
                 GError            **error)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  const PdmTableInfo *info = pdm_table_info_lookup (field->table);
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *record_label = NULL;
  g_autofree char *title = NULL;
  GtkWidget *group;

  if (info == NULL)
    return NULL;

  record = pdm_repository_get (repository, info->table, field->row_id, error);
  if (record == NULL)
    return NULL;
  stamp = pdm_repository_get_field_stamp (repository, info->table, field->row_id, field->field,
                                          NULL, error);
  kept = pdm_repository_list_conflicts (repository, info->table, field->row_id, field->field,
                                        error);
  if (kept == NULL)
    return NULL;

  record_label = pdm_record_describe (repository, field->table, field->row_id);
  /* Translators: a record, then one of its fields: "Household of Budi — Head of household" */
  title = g_strdup_printf (C_("conflict", "%s — %s"), record_label,
                           pdm_field_get_label (field->table, field->field));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             version_row_new (self, field, pdm_record_get (record, field->field),
                                              stamp, TRUE));
  /* Newest kept value first. */
  for (guint i = kept->len; i > 0; i--)
    {
      const PdmVersion *version = g_ptr_array_index (kept, i - 1);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 version_row_new (self, field, version->value, version->stamp,
                                                  FALSE));
    }

  return group;
}

static void
reload (PdmConflictWindow *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  self->n_fields = 0;

  fields = pdm_repository_list_conflicted_fields (repository, &error);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      GtkWidget *group = field_group_new (self, g_ptr_array_index (fields, i), &error);

      if (group == NULL)
        break;
      gtk_box_append (self->fields_box, group);
      self->n_fields++;
    }

  if (error != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));

  gtk_stack_set_visible_child_name (self->stack, self->n_fields > 0 ? "list" : "empty");
}

PdmConflictWindow *
pdm_conflict_window_new (PdmApplication *application)
{
  PdmConflictWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);

  self = g_object_new (PDM_TYPE_CONFLICT_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  g_signal_connect_object (application, "records-changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

/* How many fields wait for a choice. */
guint
pdm_conflict_window_get_n_fields (PdmConflictWindow *self)
{
  g_return_val_if_fail (PDM_IS_CONFLICT_WINDOW (self), 0);

  return self->n_fields;
}

static void
pdm_conflict_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDM_TYPE_CONFLICT_WINDOW);

  G_OBJECT_CLASS (pdm_conflict_window_parent_class)->dispose (object);
}

static void
pdm_conflict_window_class_init (PdmConflictWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_conflict_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-conflict-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmConflictWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmConflictWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmConflictWindow, fields_box);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdm_conflict_window_init (PdmConflictWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
