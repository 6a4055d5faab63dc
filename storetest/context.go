package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

func (s suite) testContext(t *testing.T) {
	// Each call gets a context that is already cancelled: it must fail with
	// an error wrapping context.Canceled and change nothing.
	s.run(t, "Cancelled", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("existing")
		mustCreate(t, st, c)
		want := c.Clone()

		wantErr(t, st.CreateClient(cancelled(t), NewClient("new")), context.Canceled, "CreateClient with a cancelled context")
		if _, err := st.GetClient(t.Context(), "new"); err == nil {
			t.Error("CreateClient with a cancelled context created the client")
		}

		_, err := st.GetClient(cancelled(t), "existing")
		wantErr(t, err, context.Canceled, "GetClient with a cancelled context")

		u := c.Clone()
		u.Name = "changed"
		wantErr(t, st.UpdateClient(cancelled(t), u), context.Canceled, "UpdateClient with a cancelled context")
		checkStored(t, st, want, "after UpdateClient with a cancelled context (nothing may change)")

		wantErr(t, st.DeleteClient(cancelled(t), "existing"), context.Canceled, "DeleteClient with a cancelled context")
		checkStored(t, st, want, "after DeleteClient with a cancelled context (the client must remain)")

		_, err = st.ListClients(cancelled(t), oauthreg.ListQuery{})
		wantErr(t, err, context.Canceled, "ListClients with a cancelled context")

		wantErr(t, st.TouchClient(cancelled(t), "existing", "s1", BaseTime().Add(time.Hour)), context.Canceled,
			"TouchClient with a cancelled context")
		checkStored(t, st, want, "after TouchClient with a cancelled context (nothing may change)")

		_, err = st.SecretsExpiring(cancelled(t), time.Time{}, farFuture)
		wantErr(t, err, context.Canceled, "SecretsExpiring with a cancelled context")
	})
}
