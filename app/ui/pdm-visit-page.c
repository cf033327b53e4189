/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-visit-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-page-util.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"
#include "pdm-rules.h"
#include "pdm-ui-util.h"
#include "pdm-visit-editor.h"
#include "pdm-visit-page.h"

typedef enum
{
  COLUMN_DATE,
  COLUMN_HOUSEHOLD,
  COLUMN_KIND,
  COLUMN_VOLUNTEER,
  COLUMN_FOLLOW_UP,
  COLUMN_FINDINGS,
  N_COLUMNS
} Column;

struct _PdmVisitPage
{
  GtkWidget            parent_instance;

  PdmApplication      *application;
  PdmRecordListModel  *model;
  GtkSingleSelection  *selection;
  /* "table/id" → name, until the records change */
  GHashTable          *names;
  AdwToast            *undo_toast;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *content_stack;
  GtkDropDown         *kind_dropdown;
  GtkDropDown         *sort_dropdown;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkLabel            *count_label;
};

G_DEFINE_FINAL_TYPE (PdmVisitPage, pdm_visit_page, GTK_TYPE_WIDGET)

/* The name of a household's head or of a PSM, looked up once. */
static const char *
name_of (PdmVisitPage *self,
         PdmTable      table,
         const char   *id)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autofree char *key = NULL;
  g_autoptr(PdmRecord) record = NULL;
  const char *name;
  char *copy;

  if (id == NULL || repository == NULL)
    return NULL;

  key = g_strdup_printf ("%d/%s", table, id);
  if (g_hash_table_lookup_extended (self->names, key, NULL, (gpointer *) &name))
    return name;

  record = pdm_repository_get (repository, table, id, NULL);
  copy = record == NULL ? NULL
                        : g_strdup (pdm_record_get (record, table == PDM_TABLE_HOUSEHOLD
                                                              ? "head_name" : "full_name"));
  g_hash_table_insert (self->names, g_steal_pointer (&key), copy);

  return copy;
}

static char *
column_text (gpointer       page,
             guint          column,
             PdmRecordItem *item)
{
  PdmVisitPage *self = page;

  switch ((Column) column)
    {
    case COLUMN_DATE:
      return pdm_format_date (pdm_record_item_get (item, "visit_date"));
    case COLUMN_HOUSEHOLD:
      return g_strdup (name_of (self, PDM_TABLE_HOUSEHOLD,
                                pdm_record_item_get (item, "household_id")));
    case COLUMN_KIND:
      return g_strdup (pdm_record_item_get (item, "kind"));
    case COLUMN_VOLUNTEER:
      return g_strdup (name_of (self, PDM_TABLE_VOLUNTEER,
                                pdm_record_item_get (item, "volunteer_id")));
    case COLUMN_FOLLOW_UP:
      return pdm_format_date (pdm_record_item_get (item, "follow_up_date"));
    case COLUMN_FINDINGS:
      return g_strdup (pdm_record_item_get (item, "findings"));
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
update_state (PdmVisitPage *self)
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
  else if (query->visit_kind == NULL)
    state = "empty";
  else
    state = "no-results";

  gtk_stack_set_visible_child_name (self->content_stack, state);
  count = g_strdup_printf (ngettext ("%s visit", "%s visits", n), number);
  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n > 0);
}

static void
on_filter_changed_cb (PdmVisitPage *self)
{
  const char * const *kinds = pdm_rules_get_visit_kinds ();
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  PdmQuery query = { .table = PDM_TABLE_VISIT };

  if (self->model == NULL)
    return;

  if (kind != GTK_INVALID_LIST_POSITION && kind > 0 && kind <= g_strv_length ((char **) kinds))
    query.visit_kind = kinds[kind - 1];
  query.sort = gtk_drop_down_get_selected (self->sort_dropdown) == 1 ? PDM_SORT_FOLLOW_UP
                                                                     : PDM_SORT_NEWEST;

  pdm_record_list_model_set_query (self->model, &query);
}

static void
on_records_changed_cb (PdmVisitPage *self)
{
  g_hash_table_remove_all (self->names);
}

static void
on_row_activated_cb (PdmVisitPage *self,
                     guint         position)
{
  g_autoptr(PdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  /* A row still being read has no visit to open yet. */
  if (item != NULL && pdm_record_item_get_record (item) != NULL)
    pdm_page_present_editor (GTK_WIDGET (self),
                             PDM_RECORD_EDITOR (pdm_visit_editor_new (self->application, NULL,
                                                                      pdm_record_item_get_record (item))),
                             NULL);
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdmVisitPage *self = PDM_VISIT_PAGE (widget);

  pdm_page_present_editor (widget,
                           PDM_RECORD_EDITOR (pdm_visit_editor_new (self->application, NULL, NULL)),
                           NULL);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmVisitPage *self = PDM_VISIT_PAGE (widget);
  PdmRecordItem *selected = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  if (self->selection != NULL)
    selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected == NULL || pdm_record_item_get_record (selected) == NULL)
    return;

  date = pdm_format_date (pdm_record_item_get (selected, "visit_date"));
  /* Translators: the first %s is a date, the second the head of the household */
  title = g_strdup_printf (_("Visit of %s to %s deleted"), date != NULL ? date : "—",
                           name_of (self, PDM_TABLE_HOUSEHOLD,
                                    pdm_record_item_get (selected, "household_id")));
  pdm_page_delete (widget, self->application, self->toast_overlay, PDM_TABLE_VISIT,
                   pdm_record_item_get_id (selected), title, &self->undo_toast);
}

static void
undo_delete_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmVisitPage *self = PDM_VISIT_PAGE (widget);

  pdm_page_undo_delete (self->application, self->toast_overlay, PDM_TABLE_VISIT, parameter,
                        &self->undo_toast);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmVisitPage *self = PDM_VISIT_PAGE (widget);

  /* Visits have no text: finding one starts with its kind. */
  gtk_widget_grab_focus (GTK_WIDGET (self->kind_dropdown));
}

void
pdm_visit_page_set_application (PdmVisitPage   *self,
                                PdmApplication *application)
{
  const char * const *kinds = pdm_rules_get_visit_kinds ();
  g_autoptr(GtkStringList) kind_names = gtk_string_list_new (NULL);

  g_return_if_fail (PDM_IS_VISIT_PAGE (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = application;
  self->model = pdm_record_list_model_new (application, PDM_TABLE_VISIT);

  pdm_page_follow_model (self->model, G_CALLBACK (update_state), self, self->toast_overlay);
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_string_list_append (kind_names, _("All kinds"));
  for (guint i = 0; kinds[i] != NULL; i++)
    gtk_string_list_append (kind_names, kinds[i]);
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kind_names));

  on_filter_changed_cb (self);
}

/* The visits listed, as PdmRecordItem. */
GListModel *
pdm_visit_page_get_model (PdmVisitPage *self)
{
  g_return_val_if_fail (PDM_IS_VISIT_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

/* What the page shows: "list", "empty" or "no-results". */
const char *
pdm_visit_page_get_state (PdmVisitPage *self)
{
  g_return_val_if_fail (PDM_IS_VISIT_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

AdwToast *
pdm_visit_page_get_undo_toast (PdmVisitPage *self)
{
  g_return_val_if_fail (PDM_IS_VISIT_PAGE (self), NULL);

  return self->undo_toast;
}

/* The list is read, in a worker, from the start; its rows are built when
 * the page is first shown: the window does not wait for a page that is not. */
static void
pdm_visit_page_map (GtkWidget *widget)
{
  PdmVisitPage *self = PDM_VISIT_PAGE (widget);

  GTK_WIDGET_CLASS (pdm_visit_page_parent_class)->map (widget);

  if (self->selection == NULL && self->model != NULL)
    self->selection = pdm_page_set_list_model (self->column_view, G_LIST_MODEL (self->model));
}

static void
pdm_visit_page_dispose (GObject *object)
{
  PdmVisitPage *self = (PdmVisitPage *)object;

  g_clear_weak_pointer (&self->undo_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_VISIT_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (pdm_visit_page_parent_class)->dispose (object);
}

static void
pdm_visit_page_finalize (GObject *object)
{
  PdmVisitPage *self = (PdmVisitPage *)object;

  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (pdm_visit_page_parent_class)->finalize (object);
}

static void
pdm_visit_page_class_init (PdmVisitPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const column_ids[N_COLUMNS] = {
    "date_column", "household_column", "kind_column", "volunteer_column", "follow_up_column",
    "findings_column",
  };

  object_class->dispose = pdm_visit_page_dispose;
  object_class->finalize = pdm_visit_page_finalize;
  widget_class->map = pdm_visit_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-visit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitPage, count_label);
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, column_ids[i], FALSE,
                                               G_STRUCT_OFFSET (PdmVisitPage, columns[i]));
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "list.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "list.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "list.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "list.undo-delete", "s", undo_delete_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "list.delete", NULL);
}

static void
pdm_visit_page_init (PdmVisitPage *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    pdm_page_set_text_column (self->columns[i], i,
                              i == COLUMN_HOUSEHOLD || i == COLUMN_FINDINGS ? PDM_CELL_TOOLTIP : 0,
                              column_text, self);
}
