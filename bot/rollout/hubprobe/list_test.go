package hubprobe

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// pager answers pod lists the way the API server pages them: at most Limit
// pods per page, and a continue token (here the offset of the next page)
// while more remain. With endless set it always hands out a continue token
// and repeats the first page, as a misbehaving server would.
func pager(pods []*corev1.Pod, endless bool) k8stesting.ReactionFunc {
	return func(action k8stesting.Action) (bool, runtime.Object, error) {
		opts := action.(k8stesting.ListActionImpl).GetListOptions()
		selector, err := labels.Parse(opts.LabelSelector)
		if err != nil {
			return true, nil, err
		}
		var matching []corev1.Pod
		for _, pod := range pods {
			if selector.Matches(labels.Set(pod.Labels)) {
				matching = append(matching, *pod)
			}
		}
		start := 0
		if opts.Continue != "" && !endless {
			start, _ = strconv.Atoi(opts.Continue)
		}
		end := min(start+int(opts.Limit), len(matching))
		list := &corev1.PodList{Items: matching[start:end]}
		if end < len(matching) || endless {
			list.Continue = strconv.Itoa(end)
		}
		return true, list, nil
	}
}

func TestObservePages(t *testing.T) {
	tests := []struct {
		name    string
		servers int
		endless bool
		// continues are the continue tokens of the user server requests.
		continues []string
		want      Tally
		wantErr   string
	}{
		{
			name:      "one page",
			servers:   3,
			continues: []string{""},
			want:      Tally{Live: true, New: 3, NodesWithNew: 1, NodesTotal: 1},
		},
		{
			name:      "exactly one full page",
			servers:   500,
			continues: []string{""},
			want:      Tally{Live: true, New: 500, NodesWithNew: 1, NodesTotal: 1},
		},
		{
			name:      "three pages",
			servers:   1203,
			continues: []string{"", "500", "1000"},
			want:      Tally{Live: true, New: 1203, NodesWithNew: 1, NodesTotal: 1},
		},
		{
			name:      "continue token that never ends",
			servers:   2,
			endless:   true,
			continues: append([]string{""}, slices.Repeat([]string{"2"}, maxPages-1)...),
			wantErr:   `list user servers in namespace prod with selector "component=singleuser-server": too many pods match the selector: more than 20000 pods`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pods []*corev1.Pod
			for i := range tt.servers {
				user := fmt.Sprintf("user%04d", i)
				pods = append(pods, userServer("prod", "jupyter-"+user, "user-pool-a", user, user,
					newImage, "quay.io/community/notebook@"+newAMD64))
			}
			client := fake.NewClientset()
			client.PrependReactor("list", "pods", pager(pods, tt.endless))

			got, err := Observe(context.Background(), client, Hub{Namespace: "prod"})

			var want []listCall
			for _, c := range tt.continues {
				want = append(want, listCall{"prod", DefaultSelector, 500, c})
			}
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrTooManyPods) {
					t.Fatalf("Observe error = %v, want %s (ErrTooManyPods)", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("Observe: %v", err)
				}
				want = append(want, listCall{"prod", DefaultPullerSelector, 500, ""})
				if len(got.Servers) != tt.servers ||
					got.Servers[0].Pod != "jupyter-user0000" ||
					got.Servers[tt.servers-1].Pod != fmt.Sprintf("jupyter-user%04d", tt.servers-1) {
					t.Errorf("Observe found %d servers, want jupyter-user0000 … jupyter-user%04d", len(got.Servers), tt.servers-1)
				}
				if tally := got.Tally(isNewBuild); tally != tt.want {
					t.Errorf("Tally = %+v, want %+v", tally, tt.want)
				}
			}
			if calls := listCalls(t, client); !reflect.DeepEqual(calls, want) {
				t.Errorf("requests = %+v, want %+v", calls, want)
			}
		})
	}
}
