package store

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestPasswordsHashedAtDefaultCost: a database as a server opens it hashes
// passwords at bcrypt's default cost; only a program that sets PasswordCost
// (the bench, tests) gets cheaper hashes.
func TestPasswordsHashedAtDefaultCost(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	cost := func(username string) int {
		t.Helper()
		var hash string
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.CreateUser(NewUser{Username: username, Role: "member", Region: "KZ-KAR", Password: "password-" + username}); err != nil {
				return err
			}
			return tx.QueryRow("SELECT password_hash FROM users WHERE username = ?", username).Scan(&hash)
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := cost("serveruser"); c != bcrypt.DefaultCost {
		t.Errorf("a server's password hash has cost %d; want bcrypt's default %d", c, bcrypt.DefaultCost)
	}
	db.PasswordCost = MinPasswordCost
	if c := cost("benchuser"); c != bcrypt.MinCost {
		t.Errorf("with PasswordCost lowered the hash has cost %d; want %d", c, bcrypt.MinCost)
	}
}
