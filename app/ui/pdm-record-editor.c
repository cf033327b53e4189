/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-editor"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "pdm-record-editor.h"
#include "pdm-rules.h"

/* Enough for the PSM of the whole city, about 135. */
#define MAX_VOLUNTEERS 1000

/* One row of the form and the field it shows. */
typedef struct
{
  char       *field;
  GtkWidget  *row;
  /* A row of its own under @row, shown while the field is refused. */
  GtkWidget  *error_row;
  GtkLabel   *error_label;
  /* For a choice: the stored value of each item, "" for none. */
  GPtrArray  *values;
  /* A date is shown DD/MM/YYYY and stored YYYY-MM-DD. */
  gboolean    is_date;
  /* What the row showed when the record was loaded. */
  char       *loaded_text;
  guint       loaded_selected;
} Binding;

typedef struct
{
  PdmRecord          *record;
  GPtrArray          *bindings;
  const char         *error_field;
  gboolean            saved;
  gboolean            discard;

  AdwPreferencesPage *page;
  GtkLabel           *error_label;
} PdmRecordEditorPrivate;

static GtkBuildableIface *parent_buildable_iface;

static void buildable_iface_init (GtkBuildableIface *iface);

G_DEFINE_TYPE_WITH_CODE (PdmRecordEditor, pdm_record_editor, ADW_TYPE_WINDOW,
                         G_ADD_PRIVATE (PdmRecordEditor)
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, buildable_iface_init))

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
binding_free (Binding *binding)
{
  g_free (binding->field);
  g_free (binding->loaded_text);
  g_clear_pointer (&binding->values, g_ptr_array_unref);
  g_free (binding);
}

/* What the row shows, as it would be stored: NULL for nothing. */
static const char *
binding_get_value (Binding *binding)
{
  const char *value;

  if (binding->values != NULL)
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (binding->row));

      value = selected < binding->values->len ? g_ptr_array_index (binding->values, selected) : NULL;
    }
  else
    value = gtk_editable_get_text (GTK_EDITABLE (binding->row));

  return value != NULL && *value != '\0' ? value : NULL;
}

static void
binding_set_value (Binding    *binding,
                   const char *value)
{
  guint position;

  if (binding->values == NULL)
    {
      int year, month, day;

      g_clear_pointer (&binding->loaded_text, g_free);
      if (binding->is_date && value != NULL &&
          sscanf (value, "%4d-%2d-%2d", &year, &month, &day) == 3)
        binding->loaded_text = g_strdup_printf ("%02d/%02d/%04d", day, month, year);
      else
        binding->loaded_text = g_strdup (value != NULL ? value : "");

      gtk_editable_set_text (GTK_EDITABLE (binding->row), binding->loaded_text);
      return;
    }

  if (value == NULL)
    value = "";

  /* A value the form does not offer (an old code, a local program) stays
   * a choice, so opening and saving never changes it behind one's back. */
  if (!g_ptr_array_find_with_equal_func (binding->values, value, g_str_equal, &position))
    {
      GtkStringList *labels = GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (binding->row)));

      g_ptr_array_add (binding->values, g_strdup (value));
      gtk_string_list_append (labels, value);
      position = binding->values->len - 1;
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (binding->row), position);
  binding->loaded_selected = position;
}

static gboolean
binding_is_modified (Binding *binding)
{
  if (binding->values != NULL)
    return adw_combo_row_get_selected (ADW_COMBO_ROW (binding->row)) != binding->loaded_selected;

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (binding->row)), binding->loaded_text) != 0;
}

static void
binding_show_error (Binding    *binding,
                    const char *message)
{
  pdm_record_editor_show_row_error (binding->row, binding->error_row, message);
}

static void
clear_errors (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  for (guint i = 0; i < priv->bindings->len; i++)
    binding_show_error (g_ptr_array_index (priv->bindings, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (priv->error_label), FALSE);
  priv->error_field = NULL;
}

static Binding *
find_binding (PdmRecordEditor *self,
              const char      *field)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  for (guint i = 0; field != NULL && i < priv->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (priv->bindings, i);

      if (g_str_equal (binding->field, field))
        return binding;
    }

  return NULL;
}

static void
show_error (PdmRecordEditor *self,
            const char      *field,
            const char      *message)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);
  Binding *binding = find_binding (self, field);

  clear_errors (self);
  priv->error_field = field;

  if (binding != NULL)
    {
      binding_show_error (binding, message);
      gtk_widget_grab_focus (binding->row);
    }
  else
    {
      /* A field the form does not show, such as the household of a member. */
      gtk_label_set_label (priv->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (priv->error_label), TRUE);
    }
}

static void
on_row_changed_cb (PdmRecordEditor *self,
                   GParamSpec      *pspec,
                   GtkWidget       *row)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  /* The person is fixing it: the old reason no longer applies. */
  for (guint i = 0; i < priv->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (priv->bindings, i);

      if (binding->row == row && gtk_widget_get_visible (binding->error_row))
        binding_show_error (binding, NULL);
    }
}

/* A row of its own under @row (of a GtkListBox), hidden until a reason
 * why @row's value was refused is shown in it with
 * pdm_record_editor_show_row_error(). */
GtkWidget *
pdm_record_editor_add_error_row (GtkWidget *row)
{
  GtkWidget *list_box;
  GtkWidget *label;
  GtkWidget *error_row;

  g_return_val_if_fail (GTK_IS_LIST_BOX_ROW (row), NULL);

  list_box = gtk_widget_get_parent (row);
  g_return_val_if_fail (GTK_IS_LIST_BOX (list_box), NULL);

  label = g_object_new (GTK_TYPE_LABEL,
                        "wrap", TRUE,
                        "xalign", 0.0f,
                        "margin-start", 12,
                        "margin-end", 12,
                        "margin-top", 6,
                        "margin-bottom", 6,
                        NULL);
  gtk_widget_add_css_class (label, "error");
  error_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                            "activatable", FALSE,
                            "selectable", FALSE,
                            "focusable", FALSE,
                            "visible", FALSE,
                            "child", label,
                            NULL);
  gtk_list_box_insert (GTK_LIST_BOX (list_box), error_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL,
                                  -1);

  return error_row;
}

/* Marks @row refused for @message, shown in @error_row, or clears it
 * when @message is NULL. */
void
pdm_record_editor_show_row_error (GtkWidget  *row,
                                  GtkWidget  *error_row,
                                  const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (GTK_IS_LIST_BOX_ROW (error_row));

  gtk_label_set_label (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_row))),
                       message != NULL ? message : "");
  gtk_widget_set_visible (error_row, message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static Binding *
add_binding (PdmRecordEditor *self,
             const char      *field,
             GtkWidget       *row)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);
  Binding *binding;

  g_assert (GTK_IS_LIST_BOX (gtk_widget_get_parent (row)));
  g_assert (find_binding (self, field) == NULL);

  binding = g_new0 (Binding, 1);
  binding->field = g_strdup (field);
  binding->row = row;
  binding->error_row = pdm_record_editor_add_error_row (row);
  binding->error_label =
    GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (binding->error_row)));

  g_ptr_array_add (priv->bindings, binding);

  return binding;
}

/* @row edits the text @field. */
void
pdm_record_editor_bind_entry (PdmRecordEditor *self,
                              const char      *field,
                              AdwEntryRow     *row)
{
  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  add_binding (self, field, GTK_WIDGET (row));
  g_signal_connect_object (row, "notify::text", G_CALLBACK (on_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* @row edits the date @field, as DD/MM/YYYY. */
void
pdm_record_editor_bind_date (PdmRecordEditor *self,
                             const char      *field,
                             AdwEntryRow     *row)
{
  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));

  pdm_record_editor_bind_entry (self, field, row);
  find_binding (self, field)->is_date = TRUE;
}

/* @row chooses one of @values for @field, showing the matching @labels
 * (both NULL-terminated, of one length; "" stands for no value). */
void
pdm_record_editor_bind_choice (PdmRecordEditor    *self,
                               const char         *field,
                               AdwComboRow        *row,
                               const char * const *values,
                               const char * const *labels)
{
  Binding *binding;

  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (values != NULL && labels != NULL);
  g_return_if_fail (g_strv_length ((char **) values) == g_strv_length ((char **) labels));

  binding = add_binding (self, field, GTK_WIDGET (row));
  binding->values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; values[i] != NULL; i++)
    g_ptr_array_add (binding->values, g_strdup (values[i]));

  adw_combo_row_set_model (row, G_LIST_MODEL (gtk_string_list_new (labels)));
  g_object_unref (adw_combo_row_get_model (row));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* @row chooses a kelurahan of the city, "Campago Ipuh (Mandiangin Koto
 * Selayan)", for @field. Call after the editor has its application. */
void
pdm_record_editor_bind_kelurahan (PdmRecordEditor *self,
                                  const char      *field,
                                  AdwComboRow     *row)
{
  PdmApplication *application = PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  PdmRegions *regions;
  const char * const *codes;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (application != NULL);

  regions = pdm_application_get_regions (application);
  codes = pdm_regions_get_kelurahan (regions);
  for (guint i = 0; codes[i] != NULL; i++)
    g_ptr_array_add (labels, g_strdup_printf ("%s (%s)", pdm_regions_get_name (regions, codes[i]),
                                              pdm_regions_get_name (regions,
                                                                    pdm_regions_get_parent (regions,
                                                                                            codes[i]))));
  g_ptr_array_add (labels, NULL);

  pdm_record_editor_bind_choice (self, field, row, codes, (const char * const *) labels->pdata);
}

/* @row chooses one of the PSM volunteers, or none, for @field. Call after
 * the editor has its application. */
void
pdm_record_editor_bind_volunteer (PdmRecordEditor *self,
                                  const char      *field,
                                  AdwComboRow     *row)
{
  PdmApplication *application = PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) volunteers = NULL;
  PdmQuery query = { .table = PDM_TABLE_VOLUNTEER, .sort = PDM_SORT_NAME };
  PdmSearch *search;

  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (application != NULL);

  g_ptr_array_add (values, g_strdup (""));
  g_ptr_array_add (labels, g_strdup (_("None")));

  search = pdm_application_get_search (application);
  if (search != NULL)
    volunteers = pdm_search_page (search, &query, NULL, MAX_VOLUNTEERS, NULL, NULL, NULL);
  for (guint i = 0; volunteers != NULL && i < volunteers->len; i++)
    {
      const PdmRecord *volunteer = g_ptr_array_index (volunteers, i);

      g_ptr_array_add (values, g_strdup (volunteer->id));
      g_ptr_array_add (labels, g_strdup (pdm_record_get (volunteer, "full_name")));
    }
  g_ptr_array_add (values, NULL);
  g_ptr_array_add (labels, NULL);

  pdm_record_editor_bind_choice (self, field, row, (const char * const *) values->pdata,
                                 (const char * const *) labels->pdata);
}

/* Shows @record (copied) in the bound rows; call after binding them. A
 * record without an id is a new one. */
void
pdm_record_editor_load (PdmRecordEditor *self,
                        const PdmRecord *record)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (record != NULL);

  g_clear_pointer (&priv->record, pdm_record_free);
  priv->record = pdm_record_copy (record);

  for (guint i = 0; i < priv->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (priv->bindings, i);

      binding_set_value (binding, pdm_record_get (record, binding->field));
    }
  clear_errors (self);
}

/* Sets @field, which no row shows, of the record Save will save: the
 * household a visit is for, picked from a list. */
void
pdm_record_editor_set_value (PdmRecordEditor *self,
                             const char      *field,
                             const char      *value)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_return_if_fail (PDM_IS_RECORD_EDITOR (self));
  g_return_if_fail (priv->record != NULL);
  g_return_if_fail (find_binding (self, field) == NULL);

  pdm_record_set (priv->record, field, value);
  if (g_strcmp0 (priv->error_field, field) == 0)
    clear_errors (self);
}

/* The record as loaded, or as saved once Save succeeded. */
const PdmRecord *
pdm_record_editor_get_record (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_return_val_if_fail (PDM_IS_RECORD_EDITOR (self), NULL);

  return priv->record;
}

gboolean
pdm_record_editor_is_modified (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_return_val_if_fail (PDM_IS_RECORD_EDITOR (self), FALSE);

  if (priv->saved || priv->record == NULL)
    return FALSE;

  for (guint i = 0; i < priv->bindings->len; i++)
    if (binding_is_modified (g_ptr_array_index (priv->bindings, i)))
      return TRUE;

  return PDM_RECORD_EDITOR_GET_CLASS (self)->is_modified != NULL &&
         PDM_RECORD_EDITOR_GET_CLASS (self)->is_modified (self);
}

/* The field the last Save refused, or NULL. */
const char *
pdm_record_editor_get_error_field (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_return_val_if_fail (PDM_IS_RECORD_EDITOR (self), NULL);

  return priv->error_field;
}

/* Why the last Save was refused, as shown, or NULL. */
const char *
pdm_record_editor_get_error_message (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);
  Binding *binding;

  g_return_val_if_fail (PDM_IS_RECORD_EDITOR (self), NULL);

  if (priv->error_field == NULL)
    return NULL;

  binding = find_binding (self, priv->error_field);

  return gtk_label_get_label (binding != NULL ? binding->error_label : priv->error_label);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmRecordEditor *self = PDM_RECORD_EDITOR (widget);
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);
  PdmRecordEditorClass *klass = PDM_RECORD_EDITOR_GET_CLASS (self);
  PdmApplication *application = PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  PdmRepository *repository;
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  g_return_if_fail (priv->record != NULL);
  g_return_if_fail (application != NULL);

  record = pdm_record_copy (priv->record);
  for (guint i = 0; i < priv->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (priv->bindings, i);

      pdm_record_set (record, binding->field, binding_get_value (binding));
    }

  repository = pdm_application_get_repository (application);
  if (repository == NULL)
    {
      show_error (self, NULL, _("The database is not open, so nothing can be saved."));
      return;
    }

  /* What the subclass saves besides goes in one transaction with the
   * record: all of it is saved, or none. */
  if (klass->save_more != NULL && !pdm_repository_begin (repository, &error))
    {
      show_error (self, NULL, error->message);
      return;
    }

  if (!pdm_rules_save (repository, record, warnings, &field, &error))
    {
      if (klass->save_more != NULL)
        pdm_repository_rollback (repository);
      show_error (self, field, error->message);
      return;
    }

  if (klass->save_more != NULL)
    {
      clear_errors (self);
      if (!klass->save_more (self, repository, record))
        {
          pdm_repository_rollback (repository);
          return;
        }
      if (!pdm_repository_commit (repository, &error))
        {
          show_error (self, NULL, error->message);
          return;
        }
    }

  g_clear_pointer (&priv->record, pdm_record_free);
  priv->record = g_steal_pointer (&record);
  priv->saved = TRUE;
  clear_errors (self);

  pdm_application_records_changed (application, priv->record->info->table);
  g_ptr_array_add (warnings, NULL);
  g_signal_emit (self, signals[SAVED], 0, priv->record, warnings->pdata);

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_discard_response_cb (PdmRecordEditor *self,
                        const char      *response)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  if (g_strcmp0 (response, "discard") == 0)
    {
      priv->discard = TRUE;
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static gboolean
pdm_record_editor_close_request (GtkWindow *window)
{
  PdmRecordEditor *self = PDM_RECORD_EDITOR (window);
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);
  GtkWidget *dialog;

  if (priv->discard || !pdm_record_editor_is_modified (self))
    return GTK_WINDOW_CLASS (pdm_record_editor_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("The changes made in this form are not saved yet."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* The subclass's groups go into the page. */
static void
pdm_record_editor_add_child (GtkBuildable *buildable,
                             GtkBuilder   *builder,
                             GObject      *child,
                             const char   *type)
{
  PdmRecordEditor *self = PDM_RECORD_EDITOR (buildable);
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  if (ADW_IS_PREFERENCES_GROUP (child) && priv->page != NULL)
    adw_preferences_page_add (priv->page, ADW_PREFERENCES_GROUP (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
buildable_iface_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = pdm_record_editor_add_child;
}

static void
pdm_record_editor_finalize (GObject *object)
{
  PdmRecordEditor *self = PDM_RECORD_EDITOR (object);
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  g_clear_pointer (&priv->record, pdm_record_free);
  g_clear_pointer (&priv->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (pdm_record_editor_parent_class)->finalize (object);
}

static void
pdm_record_editor_class_init (PdmRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  /* No gtk_widget_dispose_template(): the window disposes its content, and
   * GTK 4.8 keeps the template children of one class only, so disposing
   * them per class fails once a subclass has a template too. */
  object_class->finalize = pdm_record_editor_finalize;
  window_class->close_request = pdm_record_editor_close_request;

  /**
   * PdmRecordEditor::saved:
   * @record: the record as saved, normalised and with its id
   * @warnings: (array zero-terminated=1): what the rules found suspicious
   *
   * The record was saved; the editor closes next.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PDM_TYPE_RECORD, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-record-editor.ui");
  gtk_widget_class_bind_template_child_private (widget_class, PdmRecordEditor, page);
  gtk_widget_class_bind_template_child_private (widget_class, PdmRecordEditor, error_label);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdm_record_editor_init (PdmRecordEditor *self)
{
  PdmRecordEditorPrivate *priv = pdm_record_editor_get_instance_private (self);

  priv->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}
