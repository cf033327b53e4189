/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-repository.h"

G_BEGIN_DECLS

/* The columns of a DTSEN spreadsheet: one row per household member, the
 * household's columns repeated on each of its rows. The template, the
 * importer and the exporter share this order. */
typedef enum
{
  PDM_IMPORT_COLUMN_KK_NUMBER,
  PDM_IMPORT_COLUMN_DTSEN_ID,
  PDM_IMPORT_COLUMN_HEAD_NAME,
  PDM_IMPORT_COLUMN_ADDRESS,
  PDM_IMPORT_COLUMN_RT,
  PDM_IMPORT_COLUMN_RW,
  PDM_IMPORT_COLUMN_KECAMATAN,
  PDM_IMPORT_COLUMN_KELURAHAN,
  PDM_IMPORT_COLUMN_DESIL,
  PDM_IMPORT_COLUMN_PROGRAMS,
  PDM_IMPORT_COLUMN_NIK,
  PDM_IMPORT_COLUMN_FULL_NAME,
  PDM_IMPORT_COLUMN_SEX,
  PDM_IMPORT_COLUMN_BIRTH_PLACE,
  PDM_IMPORT_COLUMN_BIRTH_DATE,
  PDM_IMPORT_COLUMN_RELATIONSHIP,
  PDM_IMPORT_COLUMN_DISABILITY,
  PDM_IMPORT_N_COLUMNS
} PdmImportColumn;

const char *pdm_import_column_get_header (PdmImportColumn column);

typedef enum
{
  PDM_IMPORT_SEVERITY_ERROR,    /* blocks the import until the file is fixed */
  PDM_IMPORT_SEVERITY_WARNING,  /* worth a look; never blocks */
} PdmImportSeverity;

/* One problem of the file, for the UI to list. */
typedef struct
{
  PdmImportSeverity  severity;
  /* The spreadsheet's row number (the header is row 1, unless a "sep=" line
   * comes first), or 0 for the file as a whole. */
  guint              row;
  /* The column's header as the file writes it, or NULL. */
  char              *column;
  /* The translated reason, without row and column. */
  char              *message;
} PdmImportProblem;

#define PDM_TYPE_IMPORT_PROBLEM (pdm_import_problem_get_type ())

GType             pdm_import_problem_get_type  (void) G_GNUC_CONST;
PdmImportProblem *pdm_import_problem_new       (PdmImportSeverity        severity,
                                                guint                    row,
                                                const char              *column,
                                                const char              *message);
PdmImportProblem *pdm_import_problem_copy      (const PdmImportProblem  *problem);
void              pdm_import_problem_free      (PdmImportProblem        *problem);
char             *pdm_import_problem_to_string (const PdmImportProblem  *problem);

/* What a check found, or what an apply did. */
typedef struct
{
  guint      n_rows;
  guint      households_created;
  guint      households_updated;
  guint      households_unchanged;
  guint      persons_created;
  guint      persons_updated;
  guint      persons_unchanged;
  guint      n_errors;
  guint      n_warnings;
  /* (element-type PdmImportProblem): errors and warnings by row */
  GPtrArray *problems;
} PdmImportReport;

#define PDM_TYPE_IMPORT_REPORT (pdm_import_report_get_type ())

GType            pdm_import_report_get_type (void) G_GNUC_CONST;
PdmImportReport *pdm_import_report_copy     (const PdmImportReport *report);
void             pdm_import_report_free     (PdmImportReport       *report);

/* @fraction grows from 0 to 1. The async functions call it on the caller's
 * main context, the sync ones in the calling thread. */
typedef void (*PdmImportProgressFunc) (double   fraction,
                                       gpointer user_data);

/* Blocking variants, for tests and tools, on the caller's connection; they
 * must not be called inside a transaction of @repository. The check is an
 * apply that always rolls back, so it sees exactly what the apply would
 * (a member of a household new in the file, a NIK twice); like the apply,
 * it holds the database's write lock while it runs. */
PdmImportReport *pdm_import_check        (PdmRepository          *repository,
                                          GBytes                 *data,
                                          PdmImportProgressFunc   progress,
                                          gpointer                progress_data,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean         pdm_import_apply        (PdmRepository          *repository,
                                          GBytes                 *data,
                                          PdmImportReport       **out_report,
                                          PdmImportProgressFunc   progress,
                                          gpointer                progress_data,
                                          GCancellable           *cancellable,
                                          GError                **error);

/* The same in a worker thread with its own connection to @repository's file. */
void             pdm_import_check_async  (PdmRepository          *repository,
                                          GBytes                 *data,
                                          PdmImportProgressFunc   progress,
                                          gpointer                progress_data,
                                          GDestroyNotify          progress_data_destroy,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
PdmImportReport *pdm_import_check_finish (PdmRepository          *repository,
                                          GAsyncResult           *result,
                                          GError                **error);
void             pdm_import_apply_async  (PdmRepository          *repository,
                                          GBytes                 *data,
                                          PdmImportProgressFunc   progress,
                                          gpointer                progress_data,
                                          GDestroyNotify          progress_data_destroy,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
gboolean         pdm_import_apply_finish (PdmRepository          *repository,
                                          GAsyncResult           *result,
                                          PdmImportReport       **out_report,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmImportProblem, pdm_import_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmImportReport, pdm_import_report_free)

G_END_DECLS
