/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-household-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-detail.h"
#include "pdm-household-editor.h"
#include "pdm-household-page.h"
#include "pdm-page-util.h"
#include "pdm-person-editor.h"
#include "pdm-proposal-editor.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"
#include "pdm-rules.h"
#include "pdm-ui-util.h"
#include "pdm-visit-editor.h"

typedef enum
{
  COLUMN_NAME,
  COLUMN_KK,
  COLUMN_ADDRESS,
  COLUMN_KELURAHAN,
  COLUMN_DESIL,
  COLUMN_PROGRAMS,
  COLUMN_MEMBERS,
  COLUMN_VOLUNTEER,
  N_COLUMNS
} Column;

/* Below this width of the page a column gives way, least needed first, so
 * a 1024-pixel screen shows whole values rather than a row of ellipses. */
static const int column_min_page_width[N_COLUMNS] = {
  [COLUMN_NAME] = 0,
  [COLUMN_KK] = 600,
  [COLUMN_ADDRESS] = 0,
  [COLUMN_KELURAHAN] = 1200,
  [COLUMN_DESIL] = 0,
  [COLUMN_PROGRAMS] = 900,
  [COLUMN_MEMBERS] = 700,
  [COLUMN_VOLUNTEER] = 1100,
};

struct _PdmHouseholdPage
{
  GtkWidget            parent_instance;

  PdmApplication      *application;
  GSettings           *settings;
  PdmRecordListModel  *model;
  GtkSingleSelection  *selection;
  /* volunteer id → name, until the records change */
  GHashTable          *volunteer_names;
  /* The code of each kelurahan filter item; NULL for all of them. */
  GPtrArray           *kelurahan_codes;
  AdwToast            *undo_toast;
  guint                columns_idle_id;
  int                  width;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  GtkStack            *content_stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *kelurahan_dropdown;
  GtkDropDown         *desil_dropdown;
  GtkDropDown         *program_dropdown;
  GtkDropDown         *sort_dropdown;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  gboolean             column_shown[N_COLUMNS];
  GtkLabel            *count_label;
  AdwStatusPage       *empty_page;
  GtkLabel            *detail_title;
  PdmHouseholdDetail  *detail;
};

G_DEFINE_FINAL_TYPE (PdmHouseholdPage, pdm_household_page, GTK_TYPE_WIDGET)

static PdmRecordItem *
get_selected (PdmHouseholdPage *self)
{
  return self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static gboolean
showing_detail (PdmHouseholdPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "detail") == 0;
}

/* The household of the detail view, NULL while the list shows. */
static const PdmRecord *
shown_household (PdmHouseholdPage *self)
{
  return showing_detail (self) ? pdm_household_detail_get_household (self->detail) : NULL;
}

static void
show_error_toast (PdmHouseholdPage *self,
                  const GError     *error)
{
  pdm_page_show_error (self->toast_overlay, error);
}

/* --- the list ------------------------------------------------------------ */

static const char *
volunteer_name (PdmHouseholdPage *self,
                const char       *id)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(PdmRecord) volunteer = NULL;
  const char *name;

  if (id == NULL || repository == NULL)
    return NULL;

  if (g_hash_table_lookup_extended (self->volunteer_names, id, NULL, (gpointer *) &name))
    return name;

  volunteer = pdm_repository_get (repository, PDM_TABLE_VOLUNTEER, id, NULL);
  name = volunteer != NULL ? pdm_record_get (volunteer, "full_name") : NULL;
  g_hash_table_insert (self->volunteer_names, g_strdup (id), g_strdup (name));

  return g_hash_table_lookup (self->volunteer_names, id);
}

/* The list reader counts the members of each household it reads. */
static char *
member_count (PdmRecordItem *item)
{
  int count = pdm_record_item_get_n_members (item);

  return count >= 0 ? pdm_format_number ((guint) count) : NULL;
}

static char *
column_text (gpointer       page,
             guint          column,
             PdmRecordItem *item)
{
  PdmHouseholdPage *self = page;
  PdmRegions *regions = pdm_application_get_regions (self->application);
  const char *programs;

  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (pdm_record_item_get (item, "head_name"));
    case COLUMN_KK:
      return g_strdup (pdm_record_item_get (item, "kk_number"));
    case COLUMN_ADDRESS:
      return pdm_format_address (pdm_record_item_get (item, "address"),
                                 pdm_record_item_get (item, "rt"),
                                 pdm_record_item_get (item, "rw"));
    case COLUMN_KELURAHAN:
      return g_strdup (pdm_regions_get_name (regions, pdm_record_item_get (item, "kelurahan_code")));
    case COLUMN_DESIL:
      return g_strdup (pdm_record_item_get (item, "desil"));
    case COLUMN_PROGRAMS:
      programs = pdm_record_item_get (item, "programs");
      if (programs != NULL)
        {
          g_auto(GStrv) list = g_strsplit (programs, ",", -1);

          return g_strjoinv (", ", list);
        }
      return NULL;
    case COLUMN_MEMBERS:
      return member_count (item);
    case COLUMN_VOLUNTEER:
      return g_strdup (volunteer_name (self, pdm_record_item_get (item, "volunteer_id")));
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
setup_columns (PdmHouseholdPage *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      PdmCellFlags flags = 0;

      if (i == COLUMN_KK || i == COLUMN_DESIL || i == COLUMN_MEMBERS)
        flags |= PDM_CELL_NUMERIC;
      if (i == COLUMN_DESIL || i == COLUMN_MEMBERS)
        flags |= PDM_CELL_END;
      if (i == COLUMN_NAME || i == COLUMN_ADDRESS)
        flags |= PDM_CELL_TOOLTIP;
      pdm_page_set_text_column (self->columns[i], i, flags, column_text, self);
      self->column_shown[i] = TRUE;
    }
}

/* Hidden columns go out of the view: GTK 4.8 keeps room for an invisible
 * column, which would leave the columns that expand no wider.
 *
 * The view gets its list here, once the page knows its width: GTK 4.8
 * builds 200 rows at once, so they are built with the columns that fit,
 * and after the window's first frame rather than before it. */
static gboolean
update_columns_idle_cb (gpointer data)
{
  PdmHouseholdPage *self = data;
  guint position = 0;

  self->columns_idle_id = 0;
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean show = self->width >= column_min_page_width[i];

      if (show && !self->column_shown[i])
        gtk_column_view_insert_column (self->column_view, position, self->columns[i]);
      else if (!show && self->column_shown[i])
        gtk_column_view_remove_column (self->column_view, self->columns[i]);
      self->column_shown[i] = show;
      position += show;
    }

  if (self->selection == NULL && self->model != NULL)
    self->selection = pdm_page_set_list_model (self->column_view, G_LIST_MODEL (self->model));

  return G_SOURCE_REMOVE;
}

static gboolean
columns_need_update (PdmHouseholdPage *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    if (self->column_shown[i] != (self->width >= column_min_page_width[i]))
      return TRUE;

  return FALSE;
}

static void
update_count (PdmHouseholdPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *number = pdm_format_number (n);
  g_autofree char *text = NULL;

  text = g_strdup_printf (ngettext ("%s household", "%s households", n), number);
  gtk_label_set_label (self->count_label, text);
}

static void
update_state (PdmHouseholdPage *self)
{
  const PdmQuery *query = pdm_record_list_model_get_query (self->model);
  const char *state;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    state = "list";
  /* Not "empty" before the list is counted. */
  else if (pdm_record_list_model_is_loading (self->model))
    return;
  else if (query->text == NULL && query->desil == 0 && query->program == NULL)
    state = "empty";
  else
    state = "no-results";

  gtk_stack_set_visible_child_name (self->content_stack, state);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), g_str_equal (state, "list"));
  update_count (self);
}

static void
update_query (PdmHouseholdPage *self)
{
  const char * const *programs = pdm_rules_get_programs ();
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  guint kelurahan = gtk_drop_down_get_selected (self->kelurahan_dropdown);
  guint desil = gtk_drop_down_get_selected (self->desil_dropdown);
  guint program = gtk_drop_down_get_selected (self->program_dropdown);
  PdmQuery query = { .table = PDM_TABLE_HOUSEHOLD };

  if (self->model == NULL)
    return;

  query.text = *text != '\0' ? text : NULL;
  if (kelurahan < self->kelurahan_codes->len)
    query.kelurahan_code = g_ptr_array_index (self->kelurahan_codes, kelurahan);
  query.desil = desil != GTK_INVALID_LIST_POSITION ? (int) desil : 0;
  if (program != GTK_INVALID_LIST_POSITION && program > 0 &&
      program <= g_strv_length ((char **) programs))
    query.program = programs[program - 1];
  query.sort = gtk_drop_down_get_selected (self->sort_dropdown) == 1 ? PDM_SORT_NEWEST
                                                                     : PDM_SORT_NAME;

  pdm_record_list_model_set_query (self->model, &query);
}

static void
on_search_changed_cb (PdmHouseholdPage *self)
{
  update_query (self);
}

static void
on_stop_search_cb (PdmHouseholdPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_filter_changed_cb (PdmHouseholdPage *self)
{
  update_query (self);
}

static void
select_default_kelurahan (PdmHouseholdPage *self)
{
  pdm_page_select_kelurahan (self->kelurahan_dropdown, self->settings, self->kelurahan_codes);
}

static void
setup_filters (PdmHouseholdPage *self)
{
  const char * const *programs = pdm_rules_get_programs ();
  g_autoptr(GtkStringList) desil_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) program_names = gtk_string_list_new (NULL);

  pdm_page_fill_kelurahan (self->kelurahan_dropdown,
                           pdm_application_get_regions (self->application),
                           self->kelurahan_codes);
  select_default_kelurahan (self);

  gtk_string_list_append (desil_names, _("All desil"));
  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *name = g_strdup_printf (_("Desil %u"), i);

      gtk_string_list_append (desil_names, name);
    }
  gtk_drop_down_set_model (self->desil_dropdown, G_LIST_MODEL (desil_names));

  gtk_string_list_append (program_names, _("All programs"));
  for (guint i = 0; programs[i] != NULL; i++)
    gtk_string_list_append (program_names, programs[i]);
  gtk_drop_down_set_model (self->program_dropdown, G_LIST_MODEL (program_names));
}

/* --- detail ---------------------------------------------------------------- */

static void
show_detail (PdmHouseholdPage *self,
             const PdmRecord  *household)
{
  pdm_household_detail_set_household (self->detail, self->application, household);
  gtk_label_set_label (self->detail_title, pdm_record_get (household, "head_name"));
  gtk_stack_set_visible_child_name (self->page_stack, "detail");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", TRUE);
}

static void
show_list (PdmHouseholdPage *self)
{
  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Reads @id from the database and shows it; a deleted household is not. */
void
pdm_household_page_show_household (PdmHouseholdPage *self,
                                   const char       *id)
{
  PdmRepository *repository;
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PDM_IS_HOUSEHOLD_PAGE (self));
  g_return_if_fail (id != NULL);

  repository = pdm_application_get_repository (self->application);
  if (repository == NULL)
    return;

  household = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, id, &error);
  if (household == NULL)
    show_error_toast (self, error);
  else if (!pdm_record_is_deleted (household))
    show_detail (self, household);
}

static void
on_row_activated_cb (PdmHouseholdPage *self,
                     guint             position)
{
  g_autoptr(PdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  /* A row still being read has no household to show yet. */
  if (item != NULL && pdm_record_item_get_id (item) != NULL)
    pdm_household_page_show_household (self, pdm_record_item_get_id (item));
}

/* The shown household was written, maybe by sync: show it as it is now. */
static void
refresh_detail (PdmHouseholdPage *self)
{
  const PdmRecord *shown = pdm_household_detail_get_household (self->detail);
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(PdmRecord) household = NULL;

  if (!showing_detail (self) || shown == NULL || repository == NULL)
    return;

  household = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, shown->id, NULL);
  if (household == NULL || pdm_record_is_deleted (household))
    show_list (self);
  else
    show_detail (self, household);
}

static void
on_records_changed_cb (PdmHouseholdPage *self,
                       guint             table)
{
  g_hash_table_remove_all (self->volunteer_names);

  if (table == PDM_TABLE_HOUSEHOLD || table == PDM_TABLE_VOLUNTEER || table == PDM_TABLE_PROPOSAL)
    refresh_detail (self);
}

/* --- editing ---------------------------------------------------------------- */

static void
show_warnings (PdmHouseholdPage   *self,
               const char * const *warnings)
{
  pdm_page_show_warnings (self->toast_overlay, warnings);
}

static void
on_household_saved_cb (PdmHouseholdPage   *self,
                       const PdmRecord    *household,
                       const char * const *warnings)
{
  show_warnings (self, warnings);
  /* A new household opens, ready for its members. */
  show_detail (self, household);
}

static void
on_warnings_saved_cb (PdmHouseholdPage   *self,
                      const PdmRecord    *record,
                      const char * const *warnings)
{
  show_warnings (self, warnings);
}

static void
present_editor (PdmHouseholdPage *self,
                PdmRecordEditor  *editor,
                GCallback         saved_cb)
{
  pdm_page_present_editor (GTK_WIDGET (self), editor, saved_cb);
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  present_editor (self, PDM_RECORD_EDITOR (pdm_household_editor_new (self->application, NULL)),
                  G_CALLBACK (on_household_saved_cb));
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);
  const PdmRecord *household = shown_household (self);

  if (household != NULL)
    present_editor (self,
                    PDM_RECORD_EDITOR (pdm_household_editor_new (self->application, household)),
                    G_CALLBACK (on_household_saved_cb));
}

/* household.add-member, household.add-visit and household.propose: a new
 * record for the household shown. */
static void
new_for_household_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);
  const PdmRecord *household = shown_household (self);
  PdmRecordEditor *editor;

  if (household == NULL)
    return;

  if (g_str_equal (action_name, "household.add-member"))
    editor = PDM_RECORD_EDITOR (pdm_person_editor_new (self->application, household->id, NULL));
  else if (g_str_equal (action_name, "household.add-visit"))
    editor = PDM_RECORD_EDITOR (pdm_visit_editor_new (self->application, household->id, NULL));
  else
    editor = PDM_RECORD_EDITOR (pdm_proposal_editor_new (self->application, household));

  present_editor (self, editor, G_CALLBACK (on_warnings_saved_cb));
}

static void
on_member_activated_cb (PdmHouseholdPage *self,
                        PdmRecordItem    *member)
{
  const PdmRecord *person = pdm_record_item_get_record (member);

  present_editor (self,
                  PDM_RECORD_EDITOR (pdm_person_editor_new (self->application, NULL, person)),
                  G_CALLBACK (on_warnings_saved_cb));
}

static void
on_visit_activated_cb (PdmHouseholdPage *self,
                       PdmRecordItem    *visit)
{
  present_editor (self,
                  PDM_RECORD_EDITOR (pdm_visit_editor_new (self->application, NULL,
                                                           pdm_record_item_get_record (visit))),
                  G_CALLBACK (on_warnings_saved_cb));
}

static void
delete_household (PdmHouseholdPage *self,
                  const PdmRecord  *household)
{
  g_autofree char *title = NULL;

  title = g_strdup_printf (_("Household of %s deleted"), pdm_record_get (household, "head_name"));
  pdm_page_delete (GTK_WIDGET (self), self->application, self->toast_overlay,
                   PDM_TABLE_HOUSEHOLD, household->id, title, &self->undo_toast);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);
  g_autoptr(PdmRecord) household = NULL;

  if (shown_household (self) != NULL)
    household = pdm_record_copy (shown_household (self));
  else if (!showing_detail (self) && get_selected (self) != NULL &&
           pdm_record_item_get_record (get_selected (self)) != NULL)
    household = pdm_record_copy (pdm_record_item_get_record (get_selected (self)));

  if (household != NULL)
    delete_household (self, household);
}

static void
undo_delete_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  pdm_page_undo_delete (self->application, self->toast_overlay, PDM_TABLE_HOUSEHOLD, parameter,
                        &self->undo_toast);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  if (showing_detail (self))
    show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  if (showing_detail (self))
    show_list (self);
}

/* --- public ------------------------------------------------------------------ */

void
pdm_household_page_set_application (PdmHouseholdPage *self,
                                    PdmApplication   *application)
{
  g_return_if_fail (PDM_IS_HOUSEHOLD_PAGE (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = application;
  self->settings = g_object_ref (pdm_application_get_settings (application));
  self->model = pdm_record_list_model_new (application, PDM_TABLE_HOUSEHOLD);

  pdm_page_follow_model (self->model, G_CALLBACK (update_state), self, self->toast_overlay);
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::kelurahan-code",
                           G_CALLBACK (select_default_kelurahan), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::dinas-mode",
                           G_CALLBACK (select_default_kelurahan), self, G_CONNECT_SWAPPED);

  setup_filters (self);
  update_query (self);
}

/* The households listed, as PdmRecordItem. */
GListModel *
pdm_household_page_get_model (PdmHouseholdPage *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

/* What the page shows: "list", "empty", "no-results" or "detail". */
const char *
pdm_household_page_get_state (PdmHouseholdPage *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  if (showing_detail (self))
    return "detail";

  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* The household of the detail view, or NULL while the list shows. */
const PdmRecord *
pdm_household_page_get_shown (PdmHouseholdPage *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  return shown_household (self);
}

GtkWidget *
pdm_household_page_get_detail (PdmHouseholdPage *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  return GTK_WIDGET (self->detail);
}

/* The toast offering to undo the last delete, while it shows. */
AdwToast *
pdm_household_page_get_undo_toast (PdmHouseholdPage *self)
{
  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  return self->undo_toast;
}

/* The kelurahan the list is filtered to, or NULL for all of them. */
const char *
pdm_household_page_get_kelurahan_code (PdmHouseholdPage *self)
{
  guint selected;

  g_return_val_if_fail (PDM_IS_HOUSEHOLD_PAGE (self), NULL);

  selected = gtk_drop_down_get_selected (self->kelurahan_dropdown);
  if (selected < self->kelurahan_codes->len)
    return g_ptr_array_index (self->kelurahan_codes, selected);

  return NULL;
}

/* --- GtkWidget ---------------------------------------------------------------- */

static void
pdm_household_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  gtk_widget_measure (GTK_WIDGET (self->toast_overlay), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
pdm_household_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  PdmHouseholdPage *self = PDM_HOUSEHOLD_PAGE (widget);

  /* Columns change after this allocation, never in the middle of it. */
  self->width = width;
  if (self->columns_idle_id == 0 &&
      (columns_need_update (self) || (self->selection == NULL && self->model != NULL)))
    self->columns_idle_id = g_idle_add (update_columns_idle_cb, self);

  gtk_widget_allocate (GTK_WIDGET (self->toast_overlay), width, height, baseline, NULL);
}

static void
pdm_household_page_dispose (GObject *object)
{
  PdmHouseholdPage *self = (PdmHouseholdPage *)object;

  g_clear_handle_id (&self->columns_idle_id, g_source_remove);
  g_clear_weak_pointer (&self->undo_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_HOUSEHOLD_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdm_household_page_parent_class)->dispose (object);
}

static void
pdm_household_page_finalize (GObject *object)
{
  PdmHouseholdPage *self = (PdmHouseholdPage *)object;

  g_clear_pointer (&self->volunteer_names, g_hash_table_unref);
  g_clear_pointer (&self->kelurahan_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (pdm_household_page_parent_class)->finalize (object);
}

static void
pdm_household_page_class_init (PdmHouseholdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const column_ids[N_COLUMNS] = {
    "name_column", "kk_column", "address_column", "kelurahan_column", "desil_column",
    "programs_column", "members_column", "volunteer_column",
  };

  object_class->dispose = pdm_household_page_dispose;
  object_class->finalize = pdm_household_page_finalize;
  widget_class->measure = pdm_household_page_measure;
  widget_class->size_allocate = pdm_household_page_size_allocate;

  g_type_ensure (PDM_TYPE_HOUSEHOLD_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-household-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, kelurahan_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, desil_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, program_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdPage, detail);
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, column_ids[i], FALSE,
                                               G_STRUCT_OFFSET (PdmHouseholdPage, columns[i]));
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_member_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_visit_activated_cb);

  gtk_widget_class_install_action (widget_class, "list.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "list.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "list.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "list.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "list.undo-delete", "s", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "household.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "household.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "household.add-member", NULL,
                                   new_for_household_activated);
  gtk_widget_class_install_action (widget_class, "household.add-visit", NULL,
                                   new_for_household_activated);
  gtk_widget_class_install_action (widget_class, "household.propose", NULL,
                                   new_for_household_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "list.back", NULL);
}

static void
pdm_household_page_init (PdmHouseholdPage *self)
{
  self->volunteer_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->kelurahan_codes = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  setup_columns (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", FALSE);
}
