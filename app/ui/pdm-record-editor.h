/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_RECORD_EDITOR (pdm_record_editor_get_type ())

G_DECLARE_DERIVABLE_TYPE (PdmRecordEditor, pdm_record_editor, PDM, RECORD_EDITOR, AdwWindow)

/* A modal window that edits one record: Cancel and Save in the header bar,
 * the subclass's AdwPreferencesGroup children in a page below. The
 * subclass binds each row to a field; Save (the editor.save action) runs
 * pdm_rules_save(), marks the row of a refused field with the reason under
 * it and saves nothing, or saves, emits PdmRecordEditor::saved and closes.
 * Closing with unsaved changes asks first. */
struct _PdmRecordEditorClass
{
  AdwWindowClass parent_class;

  /* For a subclass that edits more than its record, such as a training
   * and its sessions: whether that changed, and saving it in the
   * transaction that saved @record. When save_more() returns FALSE the
   * whole save is undone and the subclass has shown why, next to what is
   * wrong. */
  gboolean (*is_modified) (PdmRecordEditor *self);
  gboolean (*save_more)   (PdmRecordEditor *self,
                           PdmRepository   *repository,
                           const PdmRecord *record);
};

void             pdm_record_editor_bind_entry        (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      AdwEntryRow        *row);
void             pdm_record_editor_bind_date         (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      AdwEntryRow        *row);
void             pdm_record_editor_bind_choice       (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      AdwComboRow        *row,
                                                      const char * const *values,
                                                      const char * const *labels);
void             pdm_record_editor_bind_kelurahan    (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      AdwComboRow        *row);
void             pdm_record_editor_bind_volunteer    (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      AdwComboRow        *row);
void             pdm_record_editor_load              (PdmRecordEditor    *self,
                                                      const PdmRecord    *record);
void             pdm_record_editor_set_value         (PdmRecordEditor    *self,
                                                      const char         *field,
                                                      const char         *value);
const PdmRecord *pdm_record_editor_get_record        (PdmRecordEditor    *self);
gboolean         pdm_record_editor_is_modified       (PdmRecordEditor    *self);
const char      *pdm_record_editor_get_error_field   (PdmRecordEditor    *self);
const char      *pdm_record_editor_get_error_message (PdmRecordEditor    *self);

GtkWidget       *pdm_record_editor_add_error_row     (GtkWidget          *row);
void             pdm_record_editor_show_row_error    (GtkWidget          *row,
                                                      GtkWidget          *error_row,
                                                      const char         *message);

G_END_DECLS
