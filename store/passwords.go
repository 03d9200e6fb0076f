package store

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// commonPasswords is the list of common passwords refused (one a line, lower
// case, each at least MinPasswordLength characters): 10,000 generated from the
// patterns such lists are full of, see passwords/gen.go.
//
//go:embed passwords/common.txt
var commonPasswords string

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

func isCommonPassword(password string) bool {
	commonOnce.Do(func() {
		lines := strings.Split(strings.TrimSpace(commonPasswords), "\n")
		commonSet = make(map[string]struct{}, len(lines))
		for _, l := range lines {
			commonSet[strings.TrimSpace(l)] = struct{}{}
		}
	})
	_, ok := commonSet[strings.ToLower(password)]
	return ok
}

// CommonPasswordCount is how many passwords the shipped list holds.
func CommonPasswordCount() int {
	isCommonPassword("")
	return len(commonSet)
}

// ValidatePassword checks a password for the user username: at least
// MinPasswordLength characters and at most 72 bytes (bcrypt's limit), not
// containing the username (of three characters or more: a one-letter
// username is in most words), and not one of the common passwords shipped with
// the binary. The error is a sentence fit to show the person choosing it.
func ValidatePassword(username, password string) error {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return fmt.Errorf("the password must be at least %d characters", MinPasswordLength)
	case len(password) > 72:
		return errors.New("the password must be at most 72 bytes")
	case len([]rune(strings.TrimSpace(username))) >= 3 && strings.Contains(strings.ToLower(password), strings.ToLower(strings.TrimSpace(username))):
		return errors.New("the password must not contain the username")
	case isCommonPassword(password):
		return errors.New("this password is on the list of common passwords; choose a longer phrase of your own")
	}
	return nil
}
