/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-visit-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-record-item.h"
#include "pdm-rules.h"
#include "pdm-ui-util.h"
#include "pdm-visit-editor.h"

/* The households a search offers: a person narrows it by typing. */
#define MAX_HOUSEHOLDS 8

struct _PdmVisitEditor
{
  PdmRecordEditor  parent_instance;

  /* The households offered, as PdmRecordItem. */
  GListStore      *households;

  GtkSearchEntry  *household_entry;
  GtkListBox      *household_list;
  AdwComboRow     *kind_row;
  AdwEntryRow     *visit_date_row;
  AdwComboRow     *volunteer_row;
  AdwEntryRow     *findings_row;
  AdwEntryRow     *follow_up_date_row;
  AdwEntryRow     *outcome_row;
};

G_DEFINE_FINAL_TYPE (PdmVisitEditor, pdm_visit_editor, PDM_TYPE_RECORD_EDITOR)

static const char *
picked_household (PdmVisitEditor *self)
{
  return pdm_record_get (pdm_record_editor_get_record (PDM_RECORD_EDITOR (self)), "household_id");
}

static GtkWidget *
create_household_row (gpointer item,
                      gpointer user_data)
{
  PdmRecordItem *household = item;
  g_autofree char *address = pdm_format_address (pdm_record_item_get (household, "address"),
                                                 pdm_record_item_get (household, "rt"),
                                                 pdm_record_item_get (household, "rw"));
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf ("%s · %s",
                              pdm_record_item_get (household, "kk_number") != NULL
                                ? pdm_record_item_get (household, "kk_number") : "—",
                              *address != '\0' ? address : "—");

  return g_object_new (ADW_TYPE_ACTION_ROW,
                       "title", pdm_record_item_get (household, "head_name"),
                       "subtitle", subtitle,
                       "activatable", TRUE,
                       NULL);
}

static void
select_picked (PdmVisitEditor *self)
{
  const char *id = picked_household (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->households));

  gtk_list_box_unselect_all (self->household_list);
  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(PdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->households), i);

      if (g_strcmp0 (pdm_record_item_get_id (item), id) == 0)
        gtk_list_box_select_row (self->household_list,
                                 gtk_list_box_get_row_at_index (self->household_list, (int) i));
    }
}

/* The first households the search finds, the picked one first. */
static void
on_household_search_changed_cb (PdmVisitEditor *self)
{
  PdmApplication *application = PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  PdmSearch *search = application != NULL ? pdm_application_get_search (application) : NULL;
  PdmRepository *repository = application != NULL ? pdm_application_get_repository (application)
                                                  : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->household_entry));
  PdmQuery query = { .table = PDM_TABLE_HOUSEHOLD, .text = text, .sort = PDM_SORT_NAME };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(PdmRecord) picked = NULL;
  const char *picked_id = picked_household (self);

  g_list_store_remove_all (self->households);
  if (search == NULL)
    return;

  if (picked_id != NULL && repository != NULL)
    picked = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, picked_id, NULL);
  if (picked != NULL)
    {
      g_autoptr(PdmRecordItem) item = pdm_record_item_new (g_steal_pointer (&picked));

      g_list_store_append (self->households, item);
    }

  found = pdm_search_page (search, &query, NULL, MAX_HOUSEHOLDS, NULL, NULL, NULL);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      PdmRecord *household = g_ptr_array_index (found, i);
      g_autoptr(PdmRecordItem) item = NULL;

      if (g_strcmp0 (household->id, picked_id) == 0)
        continue;
      item = pdm_record_item_new (pdm_record_copy (household));
      g_list_store_append (self->households, item);
    }
  select_picked (self);
}

static void
on_household_row_activated_cb (PdmVisitEditor *self,
                               GtkListBoxRow  *row)
{
  g_autoptr(PdmRecordItem) item = NULL;

  item = g_list_model_get_item (G_LIST_MODEL (self->households),
                                (guint) gtk_list_box_row_get_index (row));
  if (item != NULL)
    pdm_visit_editor_pick_household (self, pdm_record_item_get_id (item));
}

PdmVisitEditor *
pdm_visit_editor_new (PdmApplication  *application,
                      const char      *household_id,
                      const PdmRecord *visit)
{
  /* The kinds are the Dinas's own words, shown as they are. */
  const char * const *kinds = pdm_rules_get_visit_kinds ();
  g_autoptr(PdmRecord) record = NULL;
  PdmVisitEditor *self;
  PdmRecordEditor *editor;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (visit == NULL || visit->info->table == PDM_TABLE_VISIT, NULL);

  self = g_object_new (PDM_TYPE_VISIT_EDITOR,
                       "application", application,
                       "title", visit != NULL ? _("Edit Visit") : _("New Visit"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);

  pdm_record_editor_bind_choice (editor, "kind", self->kind_row, kinds, kinds);
  pdm_record_editor_bind_date (editor, "visit_date", self->visit_date_row);
  pdm_record_editor_bind_volunteer (editor, "volunteer_id", self->volunteer_row);
  pdm_record_editor_bind_entry (editor, "findings", self->findings_row);
  pdm_record_editor_bind_date (editor, "follow_up_date", self->follow_up_date_row);
  pdm_record_editor_bind_entry (editor, "outcome", self->outcome_row);

  if (visit != NULL)
    record = pdm_record_copy (visit);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      record = pdm_record_new (PDM_TABLE_VISIT);
      pdm_record_set (record, "household_id", household_id);
      pdm_record_set (record, "visit_date", today);
      pdm_record_set (record, "kind", kinds[0]);
    }
  pdm_record_editor_load (editor, record);
  on_household_search_changed_cb (self);

  /* A preset household is the visit's: the search is only to pick one. */
  if (household_id != NULL || visit != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->kind_row));

  return self;
}

/* The households offered to pick from, as PdmRecordItem. */
GListModel *
pdm_visit_editor_get_households (PdmVisitEditor *self)
{
  g_return_val_if_fail (PDM_IS_VISIT_EDITOR (self), NULL);

  return G_LIST_MODEL (self->households);
}

/* The visit is for @household_id. */
void
pdm_visit_editor_pick_household (PdmVisitEditor *self,
                                 const char     *household_id)
{
  g_return_if_fail (PDM_IS_VISIT_EDITOR (self));

  pdm_record_editor_set_value (PDM_RECORD_EDITOR (self), "household_id", household_id);
  select_picked (self);
}

static void
pdm_visit_editor_dispose (GObject *object)
{
  PdmVisitEditor *self = (PdmVisitEditor *)object;

  g_clear_object (&self->households);

  G_OBJECT_CLASS (pdm_visit_editor_parent_class)->dispose (object);
}

static void
pdm_visit_editor_class_init (PdmVisitEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_visit_editor_dispose;

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-visit-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, household_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, household_list);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, visit_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, volunteer_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, findings_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, follow_up_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVisitEditor, outcome_row);
  gtk_widget_class_bind_template_callback (widget_class, on_household_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_household_row_activated_cb);
}

static void
pdm_visit_editor_init (PdmVisitEditor *self)
{
  self->households = g_list_store_new (PDM_TYPE_RECORD_ITEM);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->household_list, G_LIST_MODEL (self->households),
                           create_household_row, NULL, NULL);
}
