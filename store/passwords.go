package store

import (
	_ "embed"
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

// Why a password is refused: PasswordError.Reason, which the API sends as
// the error's code so that each client can say it in the user's language.
const (
	PasswordTooShort    = "password_short"
	PasswordTooLong     = "password_long"
	PasswordHasUsername = "password_has_username"
	PasswordCommon      = "password_common"
)

// PasswordReasons lists every reason a password can be refused.
var PasswordReasons = []string{PasswordTooShort, PasswordTooLong, PasswordHasUsername, PasswordCommon}

// PasswordError is a password the rule refuses: Reason says which part of
// the rule, Error an English sentence for logs and the command line.
type PasswordError struct {
	Reason string
	msg    string
}

func (e *PasswordError) Error() string { return e.msg }

// ValidatePassword checks a password for the user username: at least
// MinPasswordLength characters and at most 72 bytes (bcrypt's limit), not
// containing the username (of three characters or more: a one-letter
// username is in most words), and not one of the common passwords shipped with
// the binary. A refusal is a *PasswordError.
func ValidatePassword(username, password string) error {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return &PasswordError{PasswordTooShort, fmt.Sprintf("the password must be at least %d characters", MinPasswordLength)}
	case len(password) > 72:
		return &PasswordError{PasswordTooLong, "the password must be at most 72 bytes"}
	case len([]rune(strings.TrimSpace(username))) >= 3 && strings.Contains(strings.ToLower(password), strings.ToLower(strings.TrimSpace(username))):
		return &PasswordError{PasswordHasUsername, "the password must not contain the username"}
	case isCommonPassword(password):
		return &PasswordError{PasswordCommon, "this password is on the list of common passwords; choose a longer phrase of your own"}
	}
	return nil
}
