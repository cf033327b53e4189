/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-record-editor.h"

G_BEGIN_DECLS

#define PDM_TYPE_PROPOSAL_EDITOR (pdm_proposal_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdmProposalEditor, pdm_proposal_editor, PDM, PROPOSAL_EDITOR, PdmRecordEditor)

/* A correction of one field of @household, proposed to the Dinas Sosial:
 * saved as a proposal ("diajukan"); the household stays as it is until the
 * Dinas approves. */
PdmProposalEditor *pdm_proposal_editor_new (PdmApplication  *application,
                                            const PdmRecord *household);

G_END_DECLS
