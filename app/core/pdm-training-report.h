/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-database.h"
#include "pdm-form.h"
#include "pdm-report-doc.h"

G_BEGIN_DECLS

/*
 * The figures of a training's evaluation report, read in one pass over the
 * training's records, and the report document made of them
 * (pdm_training_report_build_doc(), drawn by app/report as PDF or XLSX).
 *
 * What counts:
 *
 * - Participants that are not removed, sorted by name; their responses
 *   only (a removed participant's responses stay in the database but leave
 *   the report). Responses without a participant count only as evaluations.
 * - When a participant submitted one form more than once (for an evaluation:
 *   more than once for the same session), the one submitted last counts
 *   (by submitted_at as a time, so offsets compare right; then by key).
 * - Tests: the responses to any version of the two form keys given (by
 *   default the shipped pair, psm-basic-pretest and psm-basic-posttest).
 *   A score is the response's stored score and max_score, as submitted;
 *   a response without them is scored with the version it answered
 *   (pdm_form_score()). Percentages are of the response's own maximum, and
 *   the gain is in percentage points: post % − pre %. The normalized gain
 *   is pdm_gain_normalized() of the percentages with a maximum of 100, so
 *   pre = max gives NAN, shown "—" and left out of the average (docs/forms.md).
 * - Items: the scored questions of the newest version of the pre-test, then
 *   any only the post-test has, matched by question id. An item's share is
 *   of the counted responses where it was relevant; unanswered is wrong.
 * - Evaluations: every response to a form of kind "evaluation". Those with
 *   a session are grouped per session (one group for every session of the
 *   training, in session order, once any response of that form names a
 *   session; evaluations of a deleted session are left out), those without
 *   form one group per form (the organisation). The criteria are the Likert
 *   questions of the newest version answered, matched by id; the
 *   suggestions are the non-blank answers to long-text questions, in the
 *   order submitted.
 * - Kelurahan: every kelurahan of the region list (the 24 of the city, in
 *   code order, those without participants too), then one row for
 *   participants whose kelurahan is not in the list, only when there are
 *   such participants. Attendance is of the sessions not deleted.
 *
 * A report never changes once computed, so it can be handed between threads.
 * Numbers that have no value (no test taken, nobody answered) are NAN.
 */

/* The shipped pre-test and post-test, the default pair. */
#define PDM_TRAINING_REPORT_PRE_TEST  "psm-basic-pretest"
#define PDM_TRAINING_REPORT_POST_TEST "psm-basic-posttest"

/* An item that at least this share of participants got right both before
 * and after the training asks what everyone knew already. */
#define PDM_TRAINING_ITEM_EASY_PERCENT 90.0
/* An item that less than this share got right both before and after is
 * worth a look: an unclear question, a wrong key, or a topic not taught. */
#define PDM_TRAINING_ITEM_HARD_PERCENT 30.0

typedef enum
{
  PDM_TRAINING_TEST_NOT_TAKEN,
  PDM_TRAINING_TEST_NO_THRESHOLD,  /* taken; the form has no pass threshold */
  PDM_TRAINING_TEST_PASSED,
  PDM_TRAINING_TEST_FAILED,
} PdmTrainingTestResult;

/* What may be wrong with a test item, the first that applies in this order. */
typedef enum
{
  PDM_TRAINING_ITEM_OK,
  PDM_TRAINING_ITEM_DECLINE,   /* a smaller share right after the training than before */
  PDM_TRAINING_ITEM_TOO_HARD,  /* both shares below PDM_TRAINING_ITEM_HARD_PERCENT */
  PDM_TRAINING_ITEM_TOO_EASY,  /* both shares at least PDM_TRAINING_ITEM_EASY_PERCENT */
} PdmTrainingItemFlag;

typedef struct
{
  char                  *participant_id;
  char                  *full_name;        /* NULL when this device does not hold the PSM */
  char                  *kelurahan_code;
  char                  *kelurahan_name;   /* NULL when not in the region list */
  double                 pre_score;        /* NAN: no pre-test */
  double                 pre_max;
  double                 pre_percent;
  double                 post_score;       /* NAN: no post-test */
  double                 post_max;
  double                 post_percent;
  double                 gain;             /* post_percent − pre_percent; NAN unless both */
  double                 normalized_gain;  /* NAN unless both, and when pre is full marks */
  PdmGainCategory        gain_category;
  PdmTrainingTestResult  pre_result;
  PdmTrainingTestResult  post_result;
  guint                  n_sessions_attended;
} PdmTrainingReportParticipant;

typedef struct
{
  guint  n_participants;
  guint  n_pre;                  /* participants who took the pre-test */
  guint  n_post;
  guint  n_both;
  double mean_pre_percent;       /* of those who took it */
  double mean_post_percent;
  double mean_gain;              /* of those who took both */
  double mean_normalized_gain;   /* of the n_normalized_gain defined ones */
  guint  n_normalized_gain;
  /* Hake's ⟨g⟩ of the class: pdm_gain_normalized() of the mean pre and
   * post percentages of those who took both. */
  double class_normalized_gain;
  guint  n_gain_category[PDM_GAIN_HIGH + 1];  /* of those who took both */
  double pre_pass_threshold;     /* percent; NAN when the form has none */
  double post_pass_threshold;
  guint  n_pre_passed;
  guint  n_post_passed;
  /* Responses left out because their form or answers could not be read. */
  guint  n_unreadable;
} PdmTrainingReportSummary;

typedef struct
{
  char                *question_id;
  char                *label;
  guint                n_pre;           /* counted pre-tests where it was asked */
  guint                n_pre_correct;
  guint                n_post;
  guint                n_post_correct;
  double               pre_percent;     /* NAN when n_pre is 0 */
  double               post_percent;
  double               difference;      /* post − pre, percentage points */
  PdmTrainingItemFlag  flag;
} PdmTrainingReportItem;

typedef struct
{
  char  *id;
  char  *topic;
  char  *speaker;
  char  *institution;
  char  *session_date;  /* YYYY-MM-DD, or NULL */
  char  *start_time;    /* HH:MM, or NULL */
  guint  n_present;
} PdmTrainingReportSession;

/* One point of a criterion's scale and how many chose it. */
typedef struct
{
  double  value;
  char   *label;
  guint   count;
} PdmTrainingReportPoint;

typedef struct
{
  char   *question_id;
  char   *label;
  guint   n_answers;
  double  mean;    /* NAN without answers */
  /* (element-type PdmTrainingReportPoint): the scale in the form's order */
  GArray *points;
} PdmTrainingReportCriterion;

typedef struct
{
  char                           *form_key;
  char                           *form_title;
  /* (nullable): the session evaluated, owned by the report; NULL for an
   * evaluation of the whole training (the organisation) */
  const PdmTrainingReportSession *session;
  guint                           n_responses;
  double                          mean;       /* of every rating of every criterion */
  double                          scale_max;  /* the highest point of the scales */
  GPtrArray                      *criteria;   /* of PdmTrainingReportCriterion */
  GPtrArray                      *suggestions; /* of utf8 */
} PdmTrainingReportEvaluation;

typedef struct
{
  char  *code;            /* NULL for the row of other or unknown kelurahan */
  char  *name;
  char  *kecamatan_name;
  guint  n_participants;
  guint  n_all_sessions;  /* attended every session (0 when there are none) */
  guint  n_any_session;   /* attended at least one */
  guint *present;         /* per session, in the order of the sessions */
} PdmTrainingReportKelurahan;

typedef struct _PdmTrainingReport PdmTrainingReport;

#define PDM_TYPE_TRAINING_REPORT (pdm_training_report_get_type ())

GType              pdm_training_report_get_type          (void) G_GNUC_CONST;

PdmTrainingReport *pdm_training_report_ref               (PdmTrainingReport    *report);
void               pdm_training_report_unref             (PdmTrainingReport    *report);

/* Blocking, on the caller's connection (tests, tools, benchmarks); it may
 * run inside the caller's transaction. */
PdmTrainingReport *pdm_training_report_compute           (PdmDatabase          *database,
                                                          const char           *training_id,
                                                          const char           *pre_test_key,
                                                          const char           *post_test_key,
                                                          GCancellable         *cancellable,
                                                          GError              **error);

/* The same in a worker thread with its own connection to @database's file;
 * cancelled, the finish gives G_IO_ERROR_CANCELLED (GTask's rule). */
void               pdm_training_report_compute_async     (PdmDatabase          *database,
                                                          const char           *training_id,
                                                          const char           *pre_test_key,
                                                          const char           *post_test_key,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
PdmTrainingReport *pdm_training_report_compute_finish    (PdmDatabase          *database,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* The training, as stored. */
const char        *pdm_training_report_get_training_id   (PdmTrainingReport    *report);
const char        *pdm_training_report_get_title         (PdmTrainingReport    *report);
const char        *pdm_training_report_get_start_date    (PdmTrainingReport    *report);
const char        *pdm_training_report_get_end_date      (PdmTrainingReport    *report);
const char        *pdm_training_report_get_venue         (PdmTrainingReport    *report);
const char        *pdm_training_report_get_organiser     (PdmTrainingReport    *report);

/* The figures; the arrays and structs belong to @report. */
GPtrArray         *pdm_training_report_get_participants  (PdmTrainingReport    *report);
const PdmTrainingReportSummary *
                   pdm_training_report_get_summary       (PdmTrainingReport    *report);
GPtrArray         *pdm_training_report_get_items         (PdmTrainingReport    *report);
GPtrArray         *pdm_training_report_get_sessions      (PdmTrainingReport    *report);
GPtrArray         *pdm_training_report_get_evaluations   (PdmTrainingReport    *report);
GPtrArray         *pdm_training_report_get_kelurahan     (PdmTrainingReport    *report);

PdmReportDoc      *pdm_training_report_build_doc         (PdmTrainingReport    *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmTrainingReport, pdm_training_report_unref)

G_END_DECLS
