package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"inspecta/server"
)

// TestSmallPushIsNotHeldBehindLargeOnes: while every push slot is taken (a
// flood of full visits being read and decoded), a large push waits for a slot
// before reading its body, and a push of a few answers does not wait at all.
func TestSmallPushIsNotHeldBehindLargeOnes(t *testing.T) {
	f := newFixture(t)
	srv := f.hs.Config.Handler.(*server.Server)
	held := cap(srv.PushSlots)
	for range held {
		srv.PushSlots <- struct{}{}
	}
	release := func() {
		for ; held > 0; held-- {
			<-srv.PushSlots
		}
	}
	t.Cleanup(release) // a failed test frees the slots, so the server can close
	send := func(who string, op map[string]any) <-chan int {
		body, _ := json.Marshal(map[string]any{"device_id": f.devices[who], "ops": []any{op}})
		done := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest("POST", f.hs.URL+"/api/v1/sync/push", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.tokens[who])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		return done
	}
	note := strings.Repeat("ж", server.SmallPushBody/2+100) // over SmallPushBody bytes once encoded
	large := send("aida", f.op("aida", "observation", newUUID(),
		map[string]any{"visit_id": f.visit, "location_id": f.cell, "item": "cell_area_m2", "value": 11.5, "note": note}, nil))
	deadline := time.Now().Add(20 * time.Second)
	for srv.PushesWaiting() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the large push never waited for a slot")
		}
		time.Sleep(time.Millisecond)
	}
	small := send("bolat", f.op("bolat", "observation", newUUID(),
		map[string]any{"visit_id": f.visit, "location_id": f.cell, "item": "persons_present", "value": 3}, nil))
	select {
	case status := <-small:
		if status != http.StatusOK {
			t.Fatalf("small push = %d; want 200", status)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the small push waited for a slot taken by large ones")
	}
	select {
	case status := <-large:
		t.Fatalf("the large push was answered (%d) while every slot was taken", status)
	default:
	}
	release()
	select {
	case status := <-large:
		if status != http.StatusOK {
			t.Fatalf("large push = %d; want 200", status)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the large push was not served once the slots were free")
	}
	if n := f.count("SELECT count(*) FROM observations WHERE visit_id = ?", f.visit); n != 2 {
		t.Errorf("%d observations stored; want both pushes' one each", n)
	}
}
