package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

func TestCorpusDuBoisDockerfile(t *testing.T) {
	base := ImageRef{Line: 2, Raw: "quay.io/jupyter/r-notebook:2024-10-03", Resolved: "quay.io/jupyter/r-notebook:2024-10-03",
		Repository: "quay.io/jupyter/r-notebook", Tag: "2024-10-03", Kind: Versioned}
	tests := []struct {
		file    string
		endLine int
		pkgs    []string
	}{
		{"dubois-stem/Dockerfile", 17, []string{"nbgitpuller", "pandas", "geopandas", "matplotlib", "mapclassify", "r-extrafont", "sqlite>=3.39.0"}},
		{"dubois-stem/Dockerfile.before-fix", 14, []string{"nbgitpuller", "pandas", "geopandas", "matplotlib", "mapclassify", "r-extrafont"}},
	}
	for _, tt := range tests {
		df, err := ScanDockerfile(tt.file, fixtures.ReadCorpus(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		img := base
		img.Path = tt.file
		if !reflect.DeepEqual(df.Images, []ImageRef{img}) {
			t.Errorf("%s: images %+v", tt.file, df.Images)
		}
		quoted := make([]string, len(tt.pkgs))
		for i, p := range tt.pkgs {
			quoted[i] = "'" + p + "'"
		}
		want := []Install{{
			Path: tt.file, Line: 5, EndLine: tt.endLine, Tool: "mamba", Kind: ByName, Packages: tt.pkgs,
			Command: "mamba install --yes " + strings.Join(quoted, " "),
		}}
		if !reflect.DeepEqual(df.Installs, want) {
			t.Errorf("%s:\n got  %+v\n want %+v", tt.file, df.Installs, want)
		}
	}
}

func TestCorpusCryoAppendix(t *testing.T) {
	df, err := ScanAppendix("appendix", fixtures.ReadCorpus(t, "cryo-hub-image/appendix"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Dockerfile{Installs: []Install{{
		Path: "appendix", Line: 16, EndLine: 18, Tool: "mamba", Kind: FromFile, File: "conda-linux-64.lock", Target: "${NB_PYTHON_PREFIX}",
		Command: `${MAMBA_EXE} env create --prefix ${NB_PYTHON_PREFIX} --yes --file "conda-linux-64.lock"`,
	}}}
	if !reflect.DeepEqual(df, want) {
		t.Errorf("got  %+v\nwant %+v", df, want)
	}
}

func TestCorpusWorkflows(t *testing.T) {
	tests := []struct {
		file string
		name string
		want []Publish
	}{
		{"dubois-stem/.github/workflows/build.yaml", "Build and push container image", []Publish{
			{Line: 27, Via: "jupyterhub/repo2docker-action", Image: "quay.io/highereddata/du-bois-stem", Tag: "{{sha}}", Kind: Versioned, SHALength: 12,
				Reason: "jupyterhub/repo2docker-action always pushes the first 12 characters of the commit SHA as a tag"},
			{Line: 27, Via: "jupyterhub/repo2docker-action", Image: "quay.io/highereddata/du-bois-stem", Tag: "latest", Kind: Latest,
				Reason: "jupyterhub/repo2docker-action pushes :latest unless LATEST_TAG_OFF is set"},
		}},
		{"cryo-hub-image/.github/workflows/build.yaml", "Build container image", []Publish{
			{Line: 38, Via: "docker/metadata-action", Image: "quay.io/${{ github.repository_owner }}/cryo-hub-image", Tag: "{{sha}}", Kind: Versioned, SHALength: 12,
				Reason:    "docker/metadata-action tag `type=sha,prefix=`, pushed by `jupyter-repo2docker --push` in a run: script",
				Condition: "when `github.event_name == 'push' && '--push' || '--no-push'` gives --push"},
		}},
	}
	for _, tt := range tests {
		w, err := ScanWorkflow(tt.file, fixtures.ReadCorpus(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		for i := range tt.want {
			tt.want[i].Path = tt.file
		}
		if w.Name != tt.name || !reflect.DeepEqual(w.Publishes, tt.want) {
			t.Errorf("%s:\n got  %q %+v\n want %q %+v", tt.file, w.Name, w.Publishes, tt.name, tt.want)
		}
	}
}

// TestCorpusAnyFile feeds every corpus file to every scanner: each returns facts or an
// error, and none panics.
func TestCorpusAnyFile(t *testing.T) {
	dir := fixtures.CorpusPath(t, "")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if df, err := ScanDockerfile(p, data); (df == nil) == (err == nil) {
			t.Errorf("ScanDockerfile(%s) = %v, %v", p, df, err)
		}
		if _, err := ScanScript(p, data); err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Errorf("ScanScript(%s): %T %v", p, err, err)
			}
		}
		if w, err := ScanWorkflow(p, data); (w == nil) == (err == nil) {
			t.Errorf("ScanWorkflow(%s) = %v, %v", p, w, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
