/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-person-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-person-editor.h"
#include "pdm-rules.h"

struct _PdmPersonEditor
{
  PdmRecordEditor  parent_instance;

  AdwEntryRow     *full_name_row;
  AdwEntryRow     *nik_row;
  AdwComboRow     *relationship_row;
  AdwComboRow     *sex_row;
  AdwEntryRow     *birth_place_row;
  AdwEntryRow     *birth_date_row;
  AdwEntryRow     *disability_row;
  AdwEntryRow     *notes_row;
};

G_DEFINE_FINAL_TYPE (PdmPersonEditor, pdm_person_editor, PDM_TYPE_RECORD_EDITOR)

PdmPersonEditor *
pdm_person_editor_new (PdmApplication  *application,
                       const char      *household_id,
                       const PdmRecord *person)
{
  /* The relationships are the Kartu Keluarga's own words, shown as they are. */
  const char * const *relationships = pdm_rules_get_relationships ();
  const char *sexes[] = { "", "L", "P", NULL };
  const char *sex_labels[] = { _("Not stated"), _("Male (L)"), _("Female (P)"), NULL };
  g_autoptr(PdmRecord) record = NULL;
  PdmPersonEditor *self;
  PdmRecordEditor *editor;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (person != NULL || household_id != NULL, NULL);
  g_return_val_if_fail (person == NULL || person->info->table == PDM_TABLE_PERSON, NULL);

  self = g_object_new (PDM_TYPE_PERSON_EDITOR,
                       "application", application,
                       "title", person != NULL ? _("Edit Member") : _("New Member"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);

  pdm_record_editor_bind_entry (editor, "full_name", self->full_name_row);
  pdm_record_editor_bind_entry (editor, "nik", self->nik_row);
  pdm_record_editor_bind_choice (editor, "relationship", self->relationship_row,
                                 relationships, relationships);
  pdm_record_editor_bind_choice (editor, "sex", self->sex_row, sexes, sex_labels);
  pdm_record_editor_bind_entry (editor, "birth_place", self->birth_place_row);
  pdm_record_editor_bind_date (editor, "birth_date", self->birth_date_row);
  pdm_record_editor_bind_entry (editor, "disability", self->disability_row);
  pdm_record_editor_bind_entry (editor, "notes", self->notes_row);

  if (person != NULL)
    record = pdm_record_copy (person);
  else
    {
      record = pdm_record_new (PDM_TABLE_PERSON);
      pdm_record_set (record, "household_id", household_id);
      pdm_record_set (record, "relationship", "Anak");
    }
  pdm_record_editor_load (editor, record);

  return self;
}

static void
pdm_person_editor_class_init (PdmPersonEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-person-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, nik_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, relationship_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, birth_place_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, disability_row);
  gtk_widget_class_bind_template_child (widget_class, PdmPersonEditor, notes_row);
}

static void
pdm_person_editor_init (PdmPersonEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
