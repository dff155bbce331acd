package checks

import (
	"os"
	"strings"
	"testing"
)

// TestExplicitLockNamedCondaLockYML: an explicit lock saved as
// conda-lock.yml is not taken for the conda-lock.yml it was rendered from
// (the fix command once recursed into itself until the stack overflowed;
// found by FuzzCheck).
func TestExplicitLockNamedCondaLockYML(t *testing.T) {
	explicit, err := os.ReadFile("../testdata/repos/outage/conda-linux-64.lock")
	if err != nil {
		t.Fatal(err)
	}
	compliant := loadDir(t, "../testdata/repos/compliant")
	report := Check(with(compliant, map[string]string{"conda-lock.yml": string(explicit)}))
	res := report.Result(LockfileFresh)
	const want = "`conda-lock lock -f environment.yml -p linux-64 --kind explicit`"
	if res.Conclusion != Failure || len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Fix, want) {
		t.Errorf("%s: %+v\nwant one finding whose fix is %s", res.Conclusion, res.Findings, want)
	}
}
