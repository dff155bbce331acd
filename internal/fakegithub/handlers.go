package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// handler answers one validated, authenticated call; it runs with s.mu held.
type handler func(s *Server, req *request) reply

// handlers maps the operationIds the fake implements to their handlers. Any other
// operation of the description answers 501 and fails the test.
var handlers = map[string]handler{
	"apps/create-installation-access-token":   createInstallationToken,
	"apps/get-installation":                   getInstallation,
	"apps/create-from-manifest":               createFromManifest,
	"apps/list-webhook-deliveries":            listHookDeliveries,
	"apps/redeliver-webhook-delivery":         redeliverHookDelivery,
	"repos/get":                               getRepo,
	"repos/get-content":                       getContent,
	"repos/create-or-update-file-contents":    putFileContents,
	"git/get-tree":                            getTree,
	"git/get-blob":                            getBlob,
	"git/get-ref":                             getRef,
	"git/create-ref":                          createRef,
	"repos/compare-commits":                   compareCommits,
	"pulls/get":                               getPull,
	"pulls/list-files":                        listPullFiles,
	"pulls/create":                            createPull,
	"pulls/list":                              listPulls,
	"checks/create":                           createCheckRun,
	"checks/update":                           updateCheckRun,
	"checks/list-for-ref":                     listCheckRunsForRef,
	"checks/list-suites-for-ref":              listCheckSuitesForRef,
	"issues/list-comments":                    listComments,
	"issues/create-comment":                   createComment,
	"issues/update-comment":                   updateComment,
	"issues/get-comment":                      getComment,
	"reactions/create-for-issue-comment":      createCommentReaction,
	"repos/get-collaborator-permission-level": getCollaboratorPermission,
	"repos/create-deployment":                 createDeployment,
	"repos/list-deployments":                  listDeployments,
	"repos/create-deployment-status":          createDeploymentStatus,
	"repos/list-deployment-statuses":          listDeploymentStatuses,
	"actions/list-workflow-runs-for-repo":     listWorkflowRuns,
	"actions/get-workflow-run":                getWorkflowRun,
}

// decodeBody unmarshals the request body into dst; an absent body leaves dst as it is.
// The body has been validated against the operation's schema.
func decodeBody(req *request, dst any) reply {
	if req.body == nil {
		return reply{}
	}
	if err := json.Unmarshal(req.body, dst); err != nil {
		return validationFailed("Problems parsing JSON: " + err.Error())
	}
	return reply{}
}

// failed reports whether rep is an answer rather than the zero reply.
func (rep reply) failed() bool { return rep.status != 0 }

// intParam reads an integer path parameter; the router validated it.
func intParam(req *request, name string) int64 {
	n, _ := strconv.ParseInt(req.params[name], 10, 64)
	return n
}

func ok(body any) reply      { return reply{status: http.StatusOK, body: body} }
func created(body any) reply { return reply{status: http.StatusCreated, body: body} }
func notFound() reply        { return errorReply(http.StatusNotFound, "Not Found") }

// paged is a 200 reply with a Link header.
func paged(body any, header http.Header) reply {
	return reply{status: http.StatusOK, body: body, header: header}
}
