/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-volunteer-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-page-util.h"
#include "pdm-record-item.h"
#include "pdm-record-labels.h"
#include "pdm-record-list-model.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"
#include "pdm-volunteer-editor.h"
#include "pdm-volunteer-page.h"

typedef enum
{
  COLUMN_NAME,
  COLUMN_NIK,
  COLUMN_KELURAHAN,
  COLUMN_PHONE,
  COLUMN_STATUS,
  COLUMN_SK_NUMBER,
  N_COLUMNS
} Column;

static const char * const column_fields[N_COLUMNS] = {
  "full_name", "nik", "kelurahan_code", "phone", "status", "sk_number",
};

/* The rows of the detail view, in order. */
static const char * const detail_fields[] = {
  "nik", "sex", "birth_place", "birth_date", "phone", "address", "kelurahan_code", "education",
  "occupation", "joined_date", "sk_number", "sk_date", "status", "notes",
};

struct _PdmVolunteerPage
{
  GtkWidget            parent_instance;

  PdmApplication      *application;
  GSettings           *settings;
  PdmRecordListModel  *model;
  GtkSingleSelection  *selection;
  GPtrArray           *kelurahan_codes;
  PdmRecord           *shown;
  AdwToast            *undo_toast;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  GtkStack            *content_stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *kelurahan_dropdown;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkLabel            *count_label;
  GtkLabel            *detail_title;
  AdwPreferencesGroup *detail_group;
  AdwActionRow        *detail_rows[G_N_ELEMENTS (detail_fields)];
  GtkListBox          *history_list;
};

G_DEFINE_FINAL_TYPE (PdmVolunteerPage, pdm_volunteer_page, GTK_TYPE_WIDGET)

/* How a stored value reads: dates, kelurahan, sex and status in words. */
static char *
describe_value (PdmVolunteerPage *self,
                const char       *field,
                const char       *value)
{
  if (value == NULL)
    return NULL;

  if (g_str_has_suffix (field, "_date"))
    return pdm_format_date (value);
  if (g_str_equal (field, "kelurahan_code"))
    return g_strdup (pdm_regions_get_name (pdm_application_get_regions (self->application),
                                           value));
  if (g_str_equal (field, "sex"))
    return g_strdup (g_str_equal (value, "P") ? _("Female") : _("Male"));
  if (g_str_equal (field, "status"))
    return g_strdup (g_str_equal (value, "nonaktif") ? C_("volunteer status", "Inactive")
                                                     : C_("volunteer status", "Active"));

  return g_strdup (value);
}

static char *
column_text (gpointer       page,
             guint          column,
             PdmRecordItem *item)
{
  g_assert (column < N_COLUMNS);

  return describe_value (page, column_fields[column],
                         pdm_record_item_get (item, column_fields[column]));
}

static gboolean
showing_detail (PdmVolunteerPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "detail") == 0;
}

static void
update_state (PdmVolunteerPage *self)
{
  const PdmQuery *query = pdm_record_list_model_get_query (self->model);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *number = pdm_format_number (n);
  g_autofree char *count = NULL;
  const char *state;

  if (n > 0)
    state = "list";
  /* Not "empty" before the list is counted. */
  else if (pdm_record_list_model_is_loading (self->model))
    return;
  else if (query->text == NULL)
    state = "empty";
  else
    state = "no-results";

  gtk_stack_set_visible_child_name (self->content_stack, state);
  count = g_strdup_printf (ngettext ("%s PSM volunteer", "%s PSM volunteers", n), number);
  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n > 0);
}

static void
on_filter_changed_cb (PdmVolunteerPage *self)
{
  g_autofree char *text = NULL;
  guint kelurahan = gtk_drop_down_get_selected (self->kelurahan_dropdown);
  PdmQuery query = { .table = PDM_TABLE_VOLUNTEER, .sort = PDM_SORT_NAME };

  if (self->model == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  query.text = *text != '\0' ? text : NULL;
  if (kelurahan < self->kelurahan_codes->len)
    query.kelurahan_code = g_ptr_array_index (self->kelurahan_codes, kelurahan);

  pdm_record_list_model_set_query (self->model, &query);
}

static void
on_stop_search_cb (PdmVolunteerPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
select_default_kelurahan (PdmVolunteerPage *self)
{
  pdm_page_select_kelurahan (self->kelurahan_dropdown, self->settings, self->kelurahan_codes);
}

/* --- detail ---------------------------------------------------------------- */

static GtkWidget *
history_row_new (const PdmTrainingHistoryRow *history)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *date = pdm_format_date (pdm_record_get (history->training, "start_date"));
  g_autofree char *subtitle = NULL;

  /* Translators: when a training began, then how many of its sessions
   * the PSM attended */
  subtitle = g_strdup_printf (ngettext ("%s · present at %u of %u session",
                                        "%s · present at %u of %u sessions",
                                        history->n_sessions),
                              date != NULL ? date : "—", history->n_attended,
                              history->n_sessions);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 pdm_record_get (history->training, "title"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

/* The trainings the PSM took part in, newest first. */
static void
show_history (PdmVolunteerPage *self,
              const PdmRecord  *volunteer)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  history = pdm_training_list_for_volunteer (repository, volunteer->id, &error);
  if (history == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  for (guint i = 0; i < history->len; i++)
    gtk_list_box_append (self->history_list, history_row_new (g_ptr_array_index (history, i)));

  if (history->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No trainings yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->history_list, row);
    }
}

static void
show_detail (PdmVolunteerPage *self,
             const PdmRecord  *volunteer)
{
  if (self->shown != volunteer)
    {
      g_clear_pointer (&self->shown, pdm_record_free);
      self->shown = pdm_record_copy (volunteer);
    }

  for (guint i = 0; i < G_N_ELEMENTS (detail_fields); i++)
    {
      g_autofree char *value = describe_value (self, detail_fields[i],
                                               pdm_record_get (volunteer, detail_fields[i]));

      /* An empty subtitle would hide the row's value line altogether. */
      adw_action_row_set_subtitle (self->detail_rows[i],
                                   value != NULL && *value != '\0' ? value : "—");
    }
  gtk_label_set_label (self->detail_title, pdm_record_get (volunteer, "full_name"));
  show_history (self, volunteer);
  gtk_stack_set_visible_child_name (self->page_stack, "detail");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", TRUE);
}

static void
show_list (PdmVolunteerPage *self)
{
  g_clear_pointer (&self->shown, pdm_record_free);
  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_row_activated_cb (PdmVolunteerPage *self,
                     guint             position)
{
  g_autoptr(PdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  /* A row still being read has no volunteer to show yet. */
  if (item != NULL && pdm_record_item_get_record (item) != NULL)
    show_detail (self, pdm_record_item_get_record (item));
}

/* The detail follows edits, deletes and syncs of its volunteer, and of
 * the trainings in its history. */
static void
on_records_changed_cb (PdmVolunteerPage *self,
                       guint             table)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(PdmRecord) volunteer = NULL;

  if (self->shown == NULL || repository == NULL)
    return;

  if (table == PDM_TABLE_TRAINING || table == PDM_TABLE_TRAINING_SESSION ||
      table == PDM_TABLE_PARTICIPANT || table == PDM_TABLE_ATTENDANCE)
    {
      show_history (self, self->shown);
      return;
    }

  if (table != PDM_TABLE_VOLUNTEER)
    return;

  volunteer = pdm_repository_get (repository, PDM_TABLE_VOLUNTEER, self->shown->id, NULL);
  if (volunteer == NULL || pdm_record_is_deleted (volunteer))
    show_list (self);
  else
    show_detail (self, volunteer);
}

/* --- actions --------------------------------------------------------------- */

static void
on_volunteer_saved_cb (PdmVolunteerPage   *self,
                       const PdmRecord    *volunteer,
                       const char * const *warnings)
{
  pdm_page_show_warnings (self->toast_overlay, warnings);
  show_detail (self, volunteer);
}

static void
open_editor (PdmVolunteerPage *self,
             const PdmRecord  *volunteer)
{
  pdm_page_present_editor (GTK_WIDGET (self),
                           PDM_RECORD_EDITOR (pdm_volunteer_editor_new (self->application,
                                                                        volunteer)),
                           G_CALLBACK (on_volunteer_saved_cb));
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_editor (PDM_VOLUNTEER_PAGE (widget), NULL);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);

  if (self->shown != NULL)
    open_editor (self, self->shown);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);
  g_autoptr(PdmRecord) volunteer = NULL;
  g_autofree char *title = NULL;
  PdmRecordItem *selected;

  if (self->shown != NULL)
    volunteer = pdm_record_copy (self->shown);
  else if (self->selection != NULL &&
           (selected = gtk_single_selection_get_selected_item (self->selection)) != NULL &&
           pdm_record_item_get_record (selected) != NULL)
    volunteer = pdm_record_copy (pdm_record_item_get_record (selected));
  if (volunteer == NULL)
    return;

  title = g_strdup_printf (_("%s deleted"), pdm_record_get (volunteer, "full_name"));
  pdm_page_delete (widget, self->application, self->toast_overlay, PDM_TABLE_VOLUNTEER,
                   volunteer->id, title, &self->undo_toast);
}

static void
undo_delete_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);

  pdm_page_undo_delete (self->application, self->toast_overlay, PDM_TABLE_VOLUNTEER, parameter,
                        &self->undo_toast);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);

  if (showing_detail (self))
    show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);

  if (showing_detail (self))
    show_list (self);
}

/* --- public ------------------------------------------------------------------ */

void
pdm_volunteer_page_set_application (PdmVolunteerPage *self,
                                    PdmApplication   *application)
{
  g_return_if_fail (PDM_IS_VOLUNTEER_PAGE (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = application;
  self->settings = g_object_ref (pdm_application_get_settings (application));
  self->model = pdm_record_list_model_new (application, PDM_TABLE_VOLUNTEER);

  pdm_page_follow_model (self->model, G_CALLBACK (update_state), self, self->toast_overlay);
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::kelurahan-code",
                           G_CALLBACK (select_default_kelurahan), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::dinas-mode",
                           G_CALLBACK (select_default_kelurahan), self, G_CONNECT_SWAPPED);

  pdm_page_fill_kelurahan (self->kelurahan_dropdown, pdm_application_get_regions (application),
                           self->kelurahan_codes);
  select_default_kelurahan (self);
  on_filter_changed_cb (self);
}

/* The volunteers listed, as PdmRecordItem. */
GListModel *
pdm_volunteer_page_get_model (PdmVolunteerPage *self)
{
  g_return_val_if_fail (PDM_IS_VOLUNTEER_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

/* What the page shows: "list", "empty", "no-results" or "detail". */
const char *
pdm_volunteer_page_get_state (PdmVolunteerPage *self)
{
  g_return_val_if_fail (PDM_IS_VOLUNTEER_PAGE (self), NULL);

  if (showing_detail (self))
    return "detail";

  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* The volunteer of the detail view, or NULL while the list shows. */
const PdmRecord *
pdm_volunteer_page_get_shown (PdmVolunteerPage *self)
{
  g_return_val_if_fail (PDM_IS_VOLUNTEER_PAGE (self), NULL);

  return self->shown;
}

/* Opens the detail of @volunteer_id, as activating its row would. */
void
pdm_volunteer_page_show_volunteer (PdmVolunteerPage *self,
                                   const char       *volunteer_id)
{
  PdmRepository *repository;
  g_autoptr(PdmRecord) volunteer = NULL;

  g_return_if_fail (PDM_IS_VOLUNTEER_PAGE (self));
  g_return_if_fail (volunteer_id != NULL);

  repository = pdm_application_get_repository (self->application);
  volunteer = pdm_repository_get (repository, PDM_TABLE_VOLUNTEER, volunteer_id, NULL);
  if (volunteer != NULL && !pdm_record_is_deleted (volunteer))
    show_detail (self, volunteer);
}

AdwToast *
pdm_volunteer_page_get_undo_toast (PdmVolunteerPage *self)
{
  g_return_val_if_fail (PDM_IS_VOLUNTEER_PAGE (self), NULL);

  return self->undo_toast;
}

/* --- GObject ----------------------------------------------------------------- */

/* The list is read, in a worker, from the start; its rows are built when
 * the page is first shown: the window does not wait for a page that is not. */
static void
pdm_volunteer_page_map (GtkWidget *widget)
{
  PdmVolunteerPage *self = PDM_VOLUNTEER_PAGE (widget);

  GTK_WIDGET_CLASS (pdm_volunteer_page_parent_class)->map (widget);

  if (self->selection == NULL && self->model != NULL)
    self->selection = pdm_page_set_list_model (self->column_view, G_LIST_MODEL (self->model));
}

static void
pdm_volunteer_page_dispose (GObject *object)
{
  PdmVolunteerPage *self = (PdmVolunteerPage *)object;

  g_clear_weak_pointer (&self->undo_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_VOLUNTEER_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdm_volunteer_page_parent_class)->dispose (object);
}

static void
pdm_volunteer_page_finalize (GObject *object)
{
  PdmVolunteerPage *self = (PdmVolunteerPage *)object;

  g_clear_pointer (&self->shown, pdm_record_free);
  g_clear_pointer (&self->kelurahan_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (pdm_volunteer_page_parent_class)->finalize (object);
}

static void
pdm_volunteer_page_class_init (PdmVolunteerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const column_ids[N_COLUMNS] = {
    "name_column", "nik_column", "kelurahan_column", "phone_column", "status_column",
    "sk_column",
  };

  object_class->dispose = pdm_volunteer_page_dispose;
  object_class->finalize = pdm_volunteer_page_finalize;
  widget_class->map = pdm_volunteer_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-volunteer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, kelurahan_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, detail_group);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerPage, history_list);
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, column_ids[i], FALSE,
                                               G_STRUCT_OFFSET (PdmVolunteerPage, columns[i]));
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "list.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "list.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "list.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "list.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "list.undo-delete", "s", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "volunteer.edit", NULL, edit_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "list.back", NULL);
}

static void
pdm_volunteer_page_init (PdmVolunteerPage *self)
{
  self->kelurahan_codes = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    pdm_page_set_text_column (self->columns[i], i,
                              i == COLUMN_NIK || i == COLUMN_PHONE ? PDM_CELL_NUMERIC
                                                                   : PDM_CELL_TOOLTIP,
                              column_text, self);
  for (guint i = 0; i < G_N_ELEMENTS (detail_fields); i++)
    {
      self->detail_rows[i] = g_object_new (ADW_TYPE_ACTION_ROW,
                                           "title", pdm_field_get_label ("volunteer",
                                                                         detail_fields[i]),
                                           NULL);
      adw_preferences_group_add (self->detail_group, GTK_WIDGET (self->detail_rows[i]));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", FALSE);
}
