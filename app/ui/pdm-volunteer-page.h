/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_VOLUNTEER_PAGE (pdm_volunteer_page_get_type ())

G_DECLARE_FINAL_TYPE (PdmVolunteerPage, pdm_volunteer_page, PDM, VOLUNTEER_PAGE, GtkWidget)

/* The PSM volunteers: a searchable list, filtered by kelurahan, and the
 * detail of one, with its editor. */
void             pdm_volunteer_page_set_application (PdmVolunteerPage *self,
                                                     PdmApplication   *application);
GListModel      *pdm_volunteer_page_get_model       (PdmVolunteerPage *self);
const char      *pdm_volunteer_page_get_state       (PdmVolunteerPage *self);
const PdmRecord *pdm_volunteer_page_get_shown       (PdmVolunteerPage *self);
void             pdm_volunteer_page_show_volunteer  (PdmVolunteerPage *self,
                                                     const char       *volunteer_id);
AdwToast        *pdm_volunteer_page_get_undo_toast  (PdmVolunteerPage *self);

G_END_DECLS
