/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-volunteer-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-volunteer-editor.h"

struct _PdmVolunteerEditor
{
  PdmRecordEditor  parent_instance;

  AdwEntryRow     *full_name_row;
  AdwEntryRow     *nik_row;
  AdwComboRow     *sex_row;
  AdwEntryRow     *birth_place_row;
  AdwEntryRow     *birth_date_row;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *address_row;
  AdwComboRow     *kelurahan_row;
  AdwEntryRow     *education_row;
  AdwEntryRow     *occupation_row;
  AdwEntryRow     *joined_date_row;
  AdwEntryRow     *sk_number_row;
  AdwEntryRow     *sk_date_row;
  AdwComboRow     *status_row;
  AdwEntryRow     *notes_row;
};

G_DEFINE_FINAL_TYPE (PdmVolunteerEditor, pdm_volunteer_editor, PDM_TYPE_RECORD_EDITOR)

PdmVolunteerEditor *
pdm_volunteer_editor_new (PdmApplication  *application,
                          const PdmRecord *volunteer)
{
  const char *sexes[] = { "", "L", "P", NULL };
  const char *sex_labels[] = { _("Not stated"), _("Male (L)"), _("Female (P)"), NULL };
  const char *statuses[] = { "aktif", "nonaktif", NULL };
  const char *status_labels[] = {
    C_("volunteer status", "Active"), C_("volunteer status", "Inactive"), NULL
  };
  g_autoptr(PdmRecord) record = NULL;
  PdmVolunteerEditor *self;
  PdmRecordEditor *editor;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (volunteer == NULL || volunteer->info->table == PDM_TABLE_VOLUNTEER, NULL);

  self = g_object_new (PDM_TYPE_VOLUNTEER_EDITOR,
                       "application", application,
                       "title", volunteer != NULL ? _("Edit PSM Volunteer")
                                                  : _("New PSM Volunteer"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);

  pdm_record_editor_bind_entry (editor, "full_name", self->full_name_row);
  pdm_record_editor_bind_entry (editor, "nik", self->nik_row);
  pdm_record_editor_bind_choice (editor, "sex", self->sex_row, sexes, sex_labels);
  pdm_record_editor_bind_entry (editor, "birth_place", self->birth_place_row);
  pdm_record_editor_bind_date (editor, "birth_date", self->birth_date_row);
  pdm_record_editor_bind_entry (editor, "phone", self->phone_row);
  pdm_record_editor_bind_entry (editor, "address", self->address_row);
  pdm_record_editor_bind_kelurahan (editor, "kelurahan_code", self->kelurahan_row);
  pdm_record_editor_bind_entry (editor, "education", self->education_row);
  pdm_record_editor_bind_entry (editor, "occupation", self->occupation_row);
  pdm_record_editor_bind_date (editor, "joined_date", self->joined_date_row);
  pdm_record_editor_bind_entry (editor, "sk_number", self->sk_number_row);
  pdm_record_editor_bind_date (editor, "sk_date", self->sk_date_row);
  pdm_record_editor_bind_choice (editor, "status", self->status_row, statuses, status_labels);
  pdm_record_editor_bind_entry (editor, "notes", self->notes_row);

  if (volunteer != NULL)
    record = pdm_record_copy (volunteer);
  else
    {
      g_autofree char *kelurahan = g_settings_get_string (pdm_application_get_settings (application),
                                                          "kelurahan-code");

      record = pdm_record_new (PDM_TABLE_VOLUNTEER);
      pdm_record_set (record, "kelurahan_code", *kelurahan != '\0' ? kelurahan : NULL);
      pdm_record_set (record, "status", "aktif");
    }
  pdm_record_editor_load (editor, record);

  return self;
}

static void
pdm_volunteer_editor_class_init (PdmVolunteerEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-volunteer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, nik_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, birth_place_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, kelurahan_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, education_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, occupation_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, joined_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, sk_number_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, sk_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, PdmVolunteerEditor, notes_row);
}

static void
pdm_volunteer_editor_init (PdmVolunteerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
