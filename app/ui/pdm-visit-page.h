/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_VISIT_PAGE (pdm_visit_page_get_type ())

G_DECLARE_FINAL_TYPE (PdmVisitPage, pdm_visit_page, PDM, VISIT_PAGE, GtkWidget)

/* The visits of all households by date, or the follow-ups due first,
 * filtered by kind; a visit opens in its editor. */
void        pdm_visit_page_set_application (PdmVisitPage   *self,
                                            PdmApplication *application);
GListModel *pdm_visit_page_get_model       (PdmVisitPage   *self);
const char *pdm_visit_page_get_state       (PdmVisitPage   *self);
AdwToast   *pdm_visit_page_get_undo_toast  (PdmVisitPage   *self);

G_END_DECLS
