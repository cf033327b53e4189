/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_TRAINING_PAGE (pdm_training_page_get_type ())

G_DECLARE_FINAL_TYPE (PdmTrainingPage, pdm_training_page, PDM, TRAINING_PAGE, GtkWidget)

/* The trainings, newest first, and the detail of the selected one: its
 * sessions and participants with their attendance, and what can be done
 * with it. Its buttons activate training.fill-forms and training.report
 * (parameter: the training's id, "s") for an ancestor to handle. */
void        pdm_training_page_set_application (PdmTrainingPage *self,
                                               PdmApplication  *application);
const char *pdm_training_page_get_selected_id (PdmTrainingPage *self);
void        pdm_training_page_select          (PdmTrainingPage *self,
                                               const char      *training_id);
const char *pdm_training_page_get_state       (PdmTrainingPage *self);
AdwToast   *pdm_training_page_get_undo_toast  (PdmTrainingPage *self);

G_END_DECLS
