/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_TRAINING_EDITOR (pdm_training_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmTrainingEditor, pdm_training_editor, PDM, TRAINING_EDITOR, PdmRecordEditor)

/* Edits @training and its sessions, or a new training when NULL. The
 * sessions are saved with the training, in one transaction: a session the
 * rules refuse is marked in place and nothing is saved. */
PdmTrainingEditor *pdm_training_editor_new               (PdmApplication    *application,
                                                          const PdmRecord   *training);
guint              pdm_training_editor_get_n_sessions    (PdmTrainingEditor *self);
GtkEditable       *pdm_training_editor_get_session_entry (PdmTrainingEditor *self,
                                                          guint              index,
                                                          const char        *field);
const char        *pdm_training_editor_get_session_error (PdmTrainingEditor *self,
                                                          guint              index,
                                                          const char       **out_field);
void               pdm_training_editor_move_session      (PdmTrainingEditor *self,
                                                          guint              index,
                                                          int                offset);
void               pdm_training_editor_remove_session    (PdmTrainingEditor *self,
                                                          guint              index);

G_END_DECLS
