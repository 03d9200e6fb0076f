package report

import (
	"context"
	"fmt"

	"inspecta/store"
)

// withOrg puts the organisation settings into the request unless the caller
// already did, so that every report is headed by the organisation that
// issues it.
func (b *Builder) withOrg(ctx context.Context, req *Request) error {
	if req.Org != nil {
		return nil
	}
	return b.DB.Read(ctx, func(tx *store.Tx) error {
		org, err := tx.Org()
		if err != nil {
			return fmt.Errorf("report header: %w", err)
		}
		req.Org = org
		return nil
	})
}
