/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_PROPOSAL_WINDOW (pdm_proposal_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmProposalWindow, pdm_proposal_window, PDM, PROPOSAL_WINDOW, AdwWindow)

/* The Dinas's review of the corrections PSM proposed: "proposal.approve"
 * and "proposal.reject" take the proposal's id. */
PdmProposalWindow *pdm_proposal_window_new         (PdmApplication    *application);
guint              pdm_proposal_window_get_n_shown (PdmProposalWindow *self);

G_END_DECLS
