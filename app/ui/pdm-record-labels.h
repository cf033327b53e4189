/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-repository.h"

G_BEGIN_DECLS

/* How the sync windows name records, fields, values and writers. */
const char *pdm_field_get_label         (const char    *table,
                                         const char    *field);
char       *pdm_record_describe         (PdmRepository *repository,
                                         const char    *table,
                                         const char    *row_id);
char       *pdm_value_describe          (const char    *value);
char       *pdm_proposal_describe       (const PdmRecord *proposal);
char       *pdm_stamp_describe          (PdmRepository *repository,
                                         const char    *stamp);

G_END_DECLS
