/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_VISIT_EDITOR (pdm_visit_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmVisitEditor, pdm_visit_editor, PDM, VISIT_EDITOR, PdmRecordEditor)

/* Edits @visit, or records a new one of today, for @household_id when
 * given, else for the household picked from a search. */
PdmVisitEditor *pdm_visit_editor_new            (PdmApplication  *application,
                                                 const char      *household_id,
                                                 const PdmRecord *visit);
GListModel     *pdm_visit_editor_get_households (PdmVisitEditor  *self);
void            pdm_visit_editor_pick_household (PdmVisitEditor  *self,
                                                 const char      *household_id);

G_END_DECLS
