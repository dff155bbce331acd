package hubprobe

import (
	"context"
	"errors"
	"reflect"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

const (
	newImage    = "quay.io/community/notebook:3f2a9c1d7b4e"
	oldImage    = "quay.io/community/notebook:0c8e5d2a91f7"
	latestImage = "docker.io/community/notebook:latest"
)

// listCall is one request the probe sent.
type listCall struct {
	Namespace string
	Selector  string
	Limit     int64
	Continue  string
}

// listCalls returns the requests client received, failing the test on any
// request that is not a list of pods.
func listCalls(t *testing.T, client *fake.Clientset) []listCall {
	t.Helper()
	var calls []listCall
	for _, action := range client.Actions() {
		list, ok := action.(k8stesting.ListActionImpl)
		if !ok || action.GetResource().Resource != "pods" {
			t.Fatalf("request %s %s: the probe may only list pods", action.GetVerb(), action.GetResource())
		}
		opts := list.GetListOptions()
		calls = append(calls, listCall{action.GetNamespace(), opts.LabelSelector, opts.Limit, opts.Continue})
	}
	return calls
}

// defaultCalls are the two first pages a hub with the default selectors asks
// for in namespace.
func defaultCalls(namespace string) []listCall {
	return []listCall{
		{namespace, DefaultSelector, 500, ""},
		{namespace, DefaultPullerSelector, 500, ""},
	}
}

// midRollout is a hub in namespace "prod" while a new tag rolls out: the
// continuous pullers are being updated node by node, two users restarted
// onto the new image (one node reports the index digest, the other the
// platform digest), one user still runs the old one, one server is still
// being created, and an autoscaled node is still pulling.
func midRollout() []runtime.Object {
	return []runtime.Object{
		hubPod("prod"),
		userServer("prod", "jupyter-alice-40example-2eorg", "user-pool-a", "alice-40example-2eorg", "alice@example.org",
			newImage, "docker-pullable://quay.io/community/notebook@"+newIndex),
		userServer("prod", "jupyter-bob", "user-pool-b", "bob", "",
			newImage, "quay.io/community/notebook@"+newAMD64),
		userServer("prod", "jupyter-carol", "user-pool-a", "carol", "carol",
			oldImage, "quay.io/community/notebook@"+oldAMD64),
		userServer("prod", "jupyter-dave", "user-pool-b", "dave", "dave", newImage, ""),
		failed(userServer("prod", "jupyter-erin", "user-pool-a", "erin", "erin",
			oldImage, "quay.io/community/notebook@"+oldAMD64)),
		terminating(userServer("prod", "jupyter-frank", "user-pool-b", "frank", "frank",
			oldImage, "quay.io/community/notebook@"+oldIndex)),
		imagePuller("prod", "continuous-image-puller", "continuous-image-puller-4xkqz", "user-pool-a",
			newImage, "docker-pullable://quay.io/community/notebook@"+newIndex),
		imagePuller("prod", "continuous-image-puller", "continuous-image-puller-9tbwm", "user-pool-b",
			oldImage, "quay.io/community/notebook@"+oldAMD64),
		imagePuller("prod", "hook-image-puller", "hook-image-puller-7lh2d", "user-pool-b",
			newImage, "quay.io/community/notebook@"+newAMD64),
		imagePuller("prod", "continuous-image-puller", "continuous-image-puller-r8vnp", "user-pool-c", newImage, ""),
		// Another hub in the same cluster, on the old image.
		userServer("staging", "jupyter-alice-40example-2eorg", "user-pool-a", "alice-40example-2eorg", "alice@example.org",
			oldImage, "quay.io/community/notebook@"+oldAMD64),
		imagePuller("staging", "continuous-image-puller", "continuous-image-puller-2bq8s", "user-pool-a",
			oldImage, "quay.io/community/notebook@"+oldAMD64),
	}
}

// onLatest is a hub in namespace "edu" configured with the mutable ":latest"
// tag on Docker Hub, written with and without "docker.io/": one node pulled
// the new build, the other keeps the old one (pull policy IfNotPresent), and
// the only running server started there.
func onLatest() []runtime.Object {
	return []runtime.Object{
		hubPod("edu"),
		userServer("edu", "jupyter-grace", "user-pool-b", "grace", "grace",
			"community/notebook:latest", "docker-pullable://community/notebook@"+oldIndex),
		imagePuller("edu", "continuous-image-puller", "continuous-image-puller-h5d2x", "user-pool-a",
			latestImage, "docker.io/community/notebook@"+newIndex),
		imagePuller("edu", "continuous-image-puller", "continuous-image-puller-m7r4k", "user-pool-b",
			latestImage, "docker.io/community/notebook@"+oldIndex),
	}
}

func TestObserve(t *testing.T) {
	tests := []struct {
		name    string
		hub     Hub
		objects []runtime.Object
		want    Observation
		calls   []listCall
		tally   Tally
		// configured is ConfiguredFor(image, tag, newIndex, newAMD64).
		image, tag string
		configured bool
	}{
		{
			name:    "mid rollout",
			hub:     Hub{Namespace: "prod"},
			objects: midRollout(),
			want: Observation{
				Servers: []Server{
					{Pod: "jupyter-alice-40example-2eorg", Node: "user-pool-a", User: "alice@example.org", Image: newImage, Digest: newIndex},
					{Pod: "jupyter-bob", Node: "user-pool-b", User: "bob", Image: newImage, Digest: newAMD64},
					{Pod: "jupyter-carol", Node: "user-pool-a", User: "carol", Image: oldImage, Digest: oldAMD64},
					{Pod: "jupyter-dave", Node: "user-pool-b", User: "dave", Image: newImage, Digest: ""},
				},
				Pullers: []Puller{
					{Pod: "continuous-image-puller-4xkqz", Node: "user-pool-a", Image: newImage, Digest: newIndex},
					{Pod: "continuous-image-puller-9tbwm", Node: "user-pool-b", Image: oldImage, Digest: oldAMD64},
					{Pod: "hook-image-puller-7lh2d", Node: "user-pool-b", Image: newImage, Digest: newAMD64},
					{Pod: "continuous-image-puller-r8vnp", Node: "user-pool-c", Image: newImage, Digest: ""},
				},
				ConfiguredImages: []string{oldImage, newImage},
				Failures: []Failure{
					{Pod: "jupyter-erin", User: "erin", Image: oldImage, Digest: oldAMD64, Reason: "Error", ExitCode: 1},
				},
			},
			calls: defaultCalls("prod"),
			tally: Tally{Live: true, New: 2, Old: 1, Starting: 1, NodesWithNew: 2, NodesTotal: 3},
			image: "quay.io/community/notebook", tag: "3f2a9c1d7b4e", configured: true,
		},
		{
			name:    "mutable latest tag, old digest kept on one node",
			hub:     Hub{Namespace: "edu"},
			objects: onLatest(),
			want: Observation{
				Servers: []Server{
					{Pod: "jupyter-grace", Node: "user-pool-b", User: "grace", Image: "community/notebook:latest", Digest: oldIndex},
				},
				Pullers: []Puller{
					{Pod: "continuous-image-puller-h5d2x", Node: "user-pool-a", Image: latestImage, Digest: newIndex},
					{Pod: "continuous-image-puller-m7r4k", Node: "user-pool-b", Image: latestImage, Digest: oldIndex},
				},
				ConfiguredImages: []string{latestImage},
			},
			calls: defaultCalls("edu"),
			tally: Tally{Live: false, New: 0, Old: 1, Starting: 0, NodesWithNew: 1, NodesTotal: 2},
			// The hub follows :latest, not the build's own tag.
			image: "community/notebook", tag: "3f2a9c1d7b4e", configured: false,
		},
		{
			name: "custom selectors leave out the hook pullers and the stopping server",
			hub: Hub{
				Namespace:      "prod",
				Selector:       "hub.jupyter.org/username in (alice-40example-2eorg,frank)",
				PullerSelector: "component=continuous-image-puller",
			},
			objects: midRollout(),
			want: Observation{
				Servers: []Server{
					{Pod: "jupyter-alice-40example-2eorg", Node: "user-pool-a", User: "alice@example.org", Image: newImage, Digest: newIndex},
				},
				Pullers: []Puller{
					{Pod: "continuous-image-puller-4xkqz", Node: "user-pool-a", Image: newImage, Digest: newIndex},
					{Pod: "continuous-image-puller-9tbwm", Node: "user-pool-b", Image: oldImage, Digest: oldAMD64},
					{Pod: "continuous-image-puller-r8vnp", Node: "user-pool-c", Image: newImage, Digest: ""},
				},
				ConfiguredImages: []string{oldImage, newImage},
			},
			calls: []listCall{
				{"prod", "hub.jupyter.org/username in (alice-40example-2eorg,frank)", 500, ""},
				{"prod", "component=continuous-image-puller", 500, ""},
			},
			tally: Tally{Live: true, New: 1, Old: 0, Starting: 0, NodesWithNew: 1, NodesTotal: 3},
			image: "quay.io/community/notebook", tag: "0c8e5d2a91f7", configured: true,
		},
		{
			name:    "container names the pods do not have",
			hub:     Hub{Namespace: "edu", Container: "lab", PullerInitContainer: "image-pull-lab"},
			objects: onLatest(),
			want: Observation{
				// The server is listed, but without the container its image is unknown.
				Servers: []Server{{Pod: "jupyter-grace", Node: "user-pool-b", User: "grace"}},
			},
			calls: defaultCalls("edu"),
			tally: Tally{Starting: 1, NodesTotal: 1},
			image: "docker.io/community/notebook", tag: "latest", configured: false,
		},
		{
			name:    "namespace without a hub",
			hub:     Hub{Namespace: "default"},
			objects: append(midRollout(), onLatest()...),
			want:    Observation{},
			calls:   defaultCalls("default"),
			tally:   Tally{},
			image:   "quay.io/community/notebook", tag: "3f2a9c1d7b4e", configured: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := fake.NewClientset(tt.objects...)
			got, err := Observe(context.Background(), client, tt.hub)
			if err != nil {
				t.Fatalf("Observe: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Observe =\n%+v\nwant\n%+v", got, tt.want)
			}
			if calls := listCalls(t, client); !reflect.DeepEqual(calls, tt.calls) {
				t.Errorf("requests = %+v, want %+v", calls, tt.calls)
			}
			if tally := got.Tally(isNewBuild); tally != tt.tally {
				t.Errorf("Tally = %+v, want %+v", tally, tt.tally)
			}
			if configured := got.ConfiguredFor(tt.image, tt.tag, newIndex, newAMD64); configured != tt.configured {
				t.Errorf("ConfiguredFor(%q, %q) = %t, want %t", tt.image, tt.tag, configured, tt.configured)
			}
		})
	}
}

func TestObserveErrors(t *testing.T) {
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "",
		errors.New(`User "system:serviceaccount:imagebot:imagebot" cannot list resource "pods" in API group "" in the namespace "prod"`))
	tests := []struct {
		name string
		hub  Hub
		// forbidSelector makes listing pods with this selector fail as RBAC
		// refuses it.
		forbidSelector string
		want           string
		wantForbidden  bool
		calls          []listCall
	}{
		{
			name: "no namespace",
			hub:  Hub{},
			want: "hub namespace is empty: name the namespace the hub runs in",
		},
		{
			name: "selector does not parse",
			hub:  Hub{Namespace: "prod", PullerSelector: "component in (hook-image-puller"},
			want: `hub label selector "component in (hook-image-puller": unable to parse requirement: found '', expected: ',' or ')'`,
		},
		{
			name:           "user servers forbidden",
			hub:            Hub{Namespace: "prod"},
			forbidSelector: DefaultSelector,
			want:           `list user servers in namespace prod with selector "component=singleuser-server": pods is forbidden: User "system:serviceaccount:imagebot:imagebot" cannot list resource "pods" in API group "" in the namespace "prod"`,
			wantForbidden:  true,
			calls:          []listCall{{"prod", DefaultSelector, 500, ""}},
		},
		{
			name:           "pullers forbidden",
			hub:            Hub{Namespace: "prod"},
			forbidSelector: DefaultPullerSelector,
			want:           `list image pullers in namespace prod with selector "component in (hook-image-puller,continuous-image-puller)": pods is forbidden: User "system:serviceaccount:imagebot:imagebot" cannot list resource "pods" in API group "" in the namespace "prod"`,
			wantForbidden:  true,
			calls:          defaultCalls("prod"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := fake.NewClientset(midRollout()...)
			client.PrependReactor("list", "pods", func(action k8stesting.Action) (bool, runtime.Object, error) {
				if action.(k8stesting.ListActionImpl).GetListOptions().LabelSelector == tt.forbidSelector {
					return true, nil, forbidden
				}
				return false, nil, nil
			})
			got, err := Observe(context.Background(), client, tt.hub)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Observe error = %v, want %s", err, tt.want)
			}
			if apierrors.IsForbidden(err) != tt.wantForbidden {
				t.Errorf("IsForbidden = %t, want %t", apierrors.IsForbidden(err), tt.wantForbidden)
			}
			if !reflect.DeepEqual(got, Observation{}) {
				t.Errorf("Observe = %+v, want the zero Observation", got)
			}
			if calls := listCalls(t, client); !reflect.DeepEqual(calls, tt.calls) {
				t.Errorf("requests = %+v, want %+v", calls, tt.calls)
			}
		})
	}
}
