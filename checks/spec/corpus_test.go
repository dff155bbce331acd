package spec

import (
	"reflect"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// cryoLines are the lines and names of every dependency of the corpus
// cryo-hub-image/environment.yml, which has comments between and after its
// entries and a commented-out entry (line 44).
var cryoLines = []struct {
	line int
	name string
}{
	{8, "python"}, {11, "jupyterhub-singleuser"}, {14, "nbgitpuller"}, {18, "jupyterlab"},
	{21, "jupyter-resource-usage"}, {25, "jupyter-syncthing-proxy"}, {26, "syncthing"}, {31, "gh-scoped-creds"},
	{34, "gh"}, {37, "jupyter-vscode-proxy"}, {38, "code-server"}, {41, "ipython"}, {42, "ipywidgets"},
	{43, "jupyter-ai"}, {45, "jupyter-offlinenotebook"}, {48, "jupyter-remote-desktop-proxy"},
	{49, "jupyter-sshd-proxy"}, {50, "jupyterlab-favorites"}, {51, "jupyterlab-geojson"}, {52, "jupyterlab-git"},
	{53, "jupyterlab-h5web"}, {54, "jupyterlab-myst"}, {55, "jupyterlab_pygments"}, {56, "jupytergis"},
	{57, "jupytext"}, {58, "nbdime"}, {61, "sphinx"}, {62, "sphinxcontrib-bibtex"}, {65, "itables"},
	{66, "voila"}, {69, "cython"}, {70, "flox"}, {71, "hypothesis"}, {72, "networkx"}, {73, "numba"},
	{74, "numpy"}, {75, "pandas"}, {76, "scikit-image"}, {77, "scikit-learn"}, {78, "scipy"},
	{79, "statsmodels"}, {80, "sympy"}, {81, "xarray"}, {84, "bokeh"}, {85, "cartopy"}, {86, "geemap"},
	{87, "geoviews"}, {88, "hvplot"}, {89, "ipyleaflet"}, {90, "ipympl"}, {91, "leafmap"}, {92, "lonboard"},
	{93, "matplotlib"}, {94, "plotly"}, {95, "seaborn"}, {98, "py-xgboost"}, {101, "geopandas"},
	{102, "pygmt"}, {103, "rasterio"}, {104, "rioxarray"}, {107, "harmony-py"}, {108, "h5py"},
	{109, "h5netcdf"}, {110, "nco"}, {111, "pooch"}, {112, "zarr"}, {113, "kerchunk"}, {116, "awscli"},
	{117, "boto3"}, {118, "s3fs"}, {119, "earthaccess"}, {122, "pystac-client"}, {123, "stackstac"},
	{126, "intake"}, {127, "intake-esm"}, {128, "intake-stac"}, {129, "intake-xarray"}, {130, "gcsfs"},
	{133, "dask"}, {134, "dask-labextension"}, {135, "dask-geopandas"}, {138, "pillow"}, {139, "pytest"},
	{140, "pytest-cov"}, {141, "pep8"}, {142, "flake8"}, {143, "tqdm"}, {146, "esmpy"}, {147, "xmip"},
	{150, "h5coro"}, {151, "icepyx"}, {152, "itslive"}, {153, "is2view"}, {154, "sliderule"},
	{155, "snowexsql"}, {158, "jupyter-book"}, {159, "mystmd"}, {162, "qgis"}, {165, "pyopencl"},
	{166, "ocl-icd-system"}, {167, "websockify"},
}

func TestCorpusCryoEnvironment(t *testing.T) {
	data := fixtures.ReadCorpus(t, "cryo-hub-image/environment.yml")
	s, err := Parse("environment.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"conda-forge", "nodefaults"}; !reflect.DeepEqual(s.Channels, want) {
		t.Errorf("Channels = %q, want %q", s.Channels, want)
	}
	if s.Platforms != nil || s.Includes != nil || s.Environments != nil {
		t.Errorf("Platforms %q, Includes %q, Environments %v; want none", s.Platforms, s.Includes, s.Environments)
	}
	if len(s.Requirements) != len(cryoLines) {
		t.Fatalf("%d requirements, want %d", len(s.Requirements), len(cryoLines))
	}
	for i, want := range cryoLines {
		r := s.Requirements[i]
		if r.Line != want.line || r.Name != want.name || r.Manager != lock.Conda || r.Selector != "" || r.Local || r.Pixi {
			t.Errorf("requirement %d = line %d %s %+v, want line %d %s", i, r.Line, r.Name, r, want.line, want.name)
		}
	}
	// Spot checks of the constraints: comments after an entry are not part of it.
	want := map[string]string{"python": "python =3.12", "pandas": "pandas >=2.0.1,<3.0", "xarray": "xarray >=2026.02.0",
		"harmony-py": "harmony-py >=1.3.4", "pyopencl": "pyopencl", "websockify": "websockify >=0.10"}
	for _, r := range s.Requirements {
		if w, ok := want[r.Name]; ok && r.Conda.String() != w {
			t.Errorf("%s: constraint %q, want %q", r.Name, r.Conda.String(), w)
		}
	}
}

func TestCorpusCryoBinderEnvironment(t *testing.T) {
	data := fixtures.ReadCorpus(t, "cryo-hub-image/.binder/environment.yml")
	s, err := Parse(".binder/environment.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Channels != nil {
		t.Errorf("Channels = %q, want none", s.Channels)
	}
	diffReqs(t, s.Requirements, []req{{Line: 3, Manager: lock.Conda, Name: "python", Raw: "python=3.12", Constraint: "python =3.12"}})
}

func TestCorpusGeodepotPyproject(t *testing.T) {
	data := fixtures.ReadCorpus(t, "geodepot/pyproject.toml")
	s, err := Parse("pyproject.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != Pyproject {
		t.Errorf("Kind = %q", s.Kind)
	}
	if want := []string{"conda-forge"}; !reflect.DeepEqual(s.Channels, want) {
		t.Errorf("Channels = %q, want %q", s.Channels, want)
	}
	if want := []string{"linux-64", "win-64", "osx-64", "osx-arm64"}; !reflect.DeepEqual(s.Platforms, want) {
		t.Errorf("Platforms = %q, want %q", s.Platforms, want)
	}
	wantEnvs := map[string][]string{"default": {"default"}, "dev": {"default", "local", "dev"}}
	if !reflect.DeepEqual(s.Environments, wantEnvs) {
		t.Errorf("Environments = %q, want %q", s.Environments, wantEnvs)
	}
	byFeature := map[string][]req{}
	for _, r := range summarize(s.Requirements) {
		byFeature[r.Feature] = append(byFeature[r.Feature], r)
	}
	c, p := lock.Conda, lock.PyPI
	want := map[string][]req{
		"": {
			{Line: 24, Manager: p, Name: "gdal", Raw: "gdal==3.9.*", Constraint: "==3.9.*"},
			{Line: 25, Manager: p, Name: "pdal", Raw: "pdal==3.4.*", Constraint: "==3.4.*"},
			{Line: 26, Manager: p, Name: "click", Raw: "click==8.1.*", Constraint: "==8.1.*"},
			{Line: 27, Manager: p, Name: "requests", Raw: "requests==2.32.*", Constraint: "==2.32.*"},
			{Line: 28, Manager: p, Name: "fabric", Raw: "fabric==3.2.*", Constraint: "==3.2.*"},
			{Line: 71, Manager: c, Name: "click", Raw: `click = "8.1.*"`, Constraint: "click 8.1.*", Pixi: true},
			{Line: 72, Manager: c, Name: "fabric", Raw: `fabric = "3.2.*"`, Constraint: "fabric 3.2.*", Pixi: true},
			{Line: 73, Manager: c, Name: "gdal", Raw: `gdal = "3.9.*"`, Constraint: "gdal 3.9.*", Pixi: true},
			{Line: 74, Manager: c, Name: "python", Raw: `python = "3.12.*"`, Constraint: "python 3.12.*", Pixi: true},
			{Line: 75, Manager: c, Name: "python-pdal", Raw: `python-pdal = "3.4.*"`, Constraint: "python-pdal 3.4.*", Pixi: true},
			{Line: 76, Manager: c, Name: "requests", Raw: `requests = "2.32.*"`, Constraint: "requests 2.32.*", Pixi: true},
			// [tool.pixi.package.*] (81-103) build the package and are not read.
		},
		"local": {
			{Line: 79, Manager: c, Name: "geodepot", Raw: `geodepot = { path = "." }`, Constraint: "geodepot", Feature: "local", Local: true, Pixi: true},
		},
		"dev": { // [dependency-groups], one line
			{Line: 32, Manager: p, Name: "pytest", Raw: "pytest", Feature: "dev"},
			{Line: 32, Manager: p, Name: "ruff", Raw: "ruff", Feature: "dev"},
			{Line: 32, Manager: p, Name: "bumpver", Raw: "bumpver", Feature: "dev"},
			{Line: 32, Manager: p, Name: "mkdocs", Raw: "mkdocs", Feature: "dev"},
			{Line: 32, Manager: p, Name: "mkdocs-material", Raw: "mkdocs-material", Feature: "dev"},
		},
	}
	if len(byFeature) != len(want) {
		t.Errorf("features %v, want %v", len(byFeature), len(want))
	}
	for f, w := range want {
		if !reflect.DeepEqual(byFeature[f], w) {
			t.Errorf("feature %q:\n got %+v\nwant %+v", f, byFeature[f], w)
		}
	}
}
