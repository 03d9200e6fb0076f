//go:build ignore

// gen writes common.txt: the list of common passwords that Inspecta refuses
// (store.ValidatePassword). It is not a leaked-password corpus: none could be
// downloaded where Inspecta is built. It is generated from the patterns such
// lists are known to be full of: keyboard walks, digit and letter runs,
// repeated characters, common words and names (English, Russian and Kazakh
// transliterated, local places) with the usual suffixes, years and leet
// substitutions. Only candidates of at least 10 characters are kept (shorter
// ones fail the length rule anyway), in order of how common the pattern is,
// up to 10,000. Run: go run gen.go > common.txt
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.ToLower(s)
		if len([]rune(s)) < 10 || len(s) > 72 || seen[s] || len(out) >= 10000 {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	// Well-known long passwords of published top lists.
	for _, s := range []string{"1234567890", "qwertyuiop", "1q2w3e4r5t", "1qaz2wsx3edc", "qwerty123456", "password123",
		"password1234", "iloveyou123", "0987654321", "1111111111", "abcdefghij", "1q2w3e4r5t6y", "qwerty1234",
		"zaq12wsxcde", "qazwsxedcrfv", "1qazxsw23edc", "princess123", "football123", "baseball123", "superman123",
		"welcome123", "sunshine123", "administrator", "changeme123", "letmein123", "passw0rd123", "p@ssw0rd123",
		"trustno1trustno1", "1234qwerasdf", "qwertyuiop123", "asdfghjkl123", "zxcvbnm123", "12345678910", "123456789a",
		"a123456789", "123456789q", "q123456789", "abc1234567", "1234567890q", "qwerty12345", "password12", "password01",
		"iloveyou12", "1q2w3e4r5t6y7u", "1q2w3e4r5t6y7u8i", "qweasdzxc123", "qweasdzxcv", "asdfghjklz", "asdfghjkl;",
		"mnbvcxzlkjhgfdsa", "poiuytrewq", "lkjhgfdsa1", "0123456789", "9876543210", "1029384756", "5555555555",
		"1212121212", "1122334455", "1231231231", "123123123123", "12344321", "1234512345", "1234554321",
		"0000000000", "9999999999", "7777777777", "6666666666", "8888888888", "4444444444", "3333333333",
		"2222222222", "123456789123", "147258369", "1472583690", "7894561230", "3216549870", "159753159753",
		"qwerty1qwerty", "passwordpassword", "adminadmin", "administrator1", "rootroot12", "useruser12",
		"testtest12", "guestguest", "welcomewelcome", "loveyou1234", "ilovemyself", "iloveyouforever",
		"nopassword", "changeme12", "default123", "secret1234", "mypassword", "mypassword1", "yourpassword",
		"thisisapassword", "letmeinnow", "opensesame", "masterkey1", "master1234", "access1234", "login12345",
		"parol12345", "parolparol", "privet1234", "qwertyqwerty", "asdasdasd1", "zxczxczxc1", "qweqweqwe1",
		"123qweasdzxc", "1q2w3e4r1q2w3e4r", "q1w2e3r4t5", "q1w2e3r4t5y6", "a1b2c3d4e5", "a1s2d3f4g5",
		"z1x2c3v4b5", "1a2b3c4d5e", "abcd123456", "abcdef1234", "abcdefg123", "abc123abc123", "aaa111aaa111",
	} {
		add(s)
	}
	// Common words and names with the usual suffixes, years and substitutions.
	words := []string{"password", "passw0rd", "p@ssword", "p@ssw0rd", "qwerty", "iloveyou", "admin", "welcome", "letmein",
		"monkey", "dragon", "football", "baseball", "sunshine", "princess", "shadow", "master", "trustno1", "superman",
		"batman", "michael", "jennifer", "jordan", "hunter", "charlie", "thomas", "freedom", "whatever", "starwars",
		"computer", "internet", "samsung", "pokemon", "liverpool", "chelsea", "arsenal", "barcelona", "realmadrid",
		"manchester", "soccer", "hockey", "killer", "secret", "summer", "winter", "spring", "autumn", "love", "lovely",
		"angel", "flower", "butterfly", "chocolate", "cookie", "pepper", "ginger", "mustang", "ferrari", "mercedes",
		"porsche", "yankees", "cowboys", "eagles", "tigger", "buster", "harley", "hello", "helloworld", "google",
		"facebook", "youtube", "instagram", "microsoft", "apple", "iphone", "android", "matrix", "ninja", "zombie",
		"pussy", "sexy", "qazwsx", "zxcvbnm", "asdfgh", "asdfghjkl", "1qaz2wsx", "abc", "abcd", "test", "user",
		"guest", "root", "login", "access", "default", "changeme", "nothing", "anything", "something", "family",
		"mother", "father", "sister", "brother", "daughter", "friend", "friends", "forever", "jesus", "christ", "god",
		"heaven", "allah", "money", "dollar", "million", "business", "office", "company", "work", "school", "student",
		"teacher", "doctor", "police", "army", "soldier", "mylove", "babygirl", "sweety", "honey", "darling",
		"parol", "privet", "lyubov", "lubov", "solnce", "solnyshko", "kotik", "zaika", "malysh", "natasha",
		"tatyana", "svetlana", "elena", "olga", "irina", "anastasia", "ekaterina", "marina", "maria", "anna",
		"alexander", "aleksandr", "sergey", "andrey", "dmitry", "vladimir", "nikolay", "ivan", "ivanov", "petrov",
		"sidorov", "spartak", "zenit", "dinamo", "kairat", "astana", "almaty", "nursultan", "karaganda", "shymkent",
		"aktobe", "pavlodar", "semey", "taraz", "kostanay", "atyrau", "aktau", "oskemen", "kazakhstan", "qazaqstan",
		"kazakh", "qazaq", "aigerim", "aruzhan", "dana", "nurlan", "yerlan", "erlan", "askar", "daniyar", "aidos",
		"madina", "dinara", "gulnara", "saule", "zhanna", "baurzhan", "bauyrzhan", "mahabbat", "sulu", "balapan",
		"inspecta", "monitor", "monitoring", "opcat", "prison", "detention", "npm", "coalition", "ombudsman",
		"ombudsperson", "justice", "freedom", "humanrights", "rights", "torture", "security", "shalom", "welcome",
		"qwertyuiop", "asdfghjkl", "zxcvbnm", "1234qwer", "qwer1234", "abcdefgh", "abcdef", "123abc", "abc123",
	}
	suffixes := []string{"", "1", "12", "123", "1234", "12345", "123456", "1234567", "!", "!!", "1!", "123!", "@123",
		"#1", "01", "007", "69", "77", "777", "111", "000", "2020", "2021", "2022", "2023", "2024", "2025", "2026",
		"321", "99", "88", "11", "22", "13", "10", "$", "@", "_123", ".123"}
	for year := 2019; year >= 1960; year-- {
		suffixes = append(suffixes, fmt.Sprint(year))
	}
	variants := func(w string) []string {
		leet := strings.NewReplacer("a", "@", "o", "0", "s", "$", "e", "3", "i", "1").Replace(w)
		return []string{w, w + w, leet}
	}
	withSuffixes := func(sufs []string, all bool) {
		for _, suf := range sufs {
			for _, w := range words {
				vs := variants(w)
				if !all {
					vs = vs[:1]
				}
				for _, v := range vs {
					add(v + suf)
				}
			}
		}
	}
	withSuffixes(suffixes[:8], true) // the commonest tails first
	// Keyboard walks: rows, columns, zig-zags, forward and back, with and without shift.
	rows := []string{"1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./", "!@#$%^&*()_+", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"}
	cols := "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/"
	walks := append([]string{cols, "zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p;/", "qazwsxedcrfvtgbyhnujmikolp",
		"1qaz!qaz", "!qaz@wsx#edc$rfv", "!qaz2wsx#edc4rfv", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0",
		"qweasdzxcrtyfghvbn", "qawsedrftgyhujikolp", "poiuytrewqlkjhgfdsamnbvcxz"}, rows...)
	for _, w := range walks {
		r := []rune(w)
		for n := 10; n <= min(len(r), 16); n++ {
			for start := 0; start+n <= len(r); start++ {
				s := string(r[start : start+n])
				add(s)
				add(reverse(s))
			}
		}
	}
	// Digit and letter runs, repeated characters and short repeated patterns.
	digits, letters := "0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyz"
	for n := 10; n <= 16; n++ {
		for start := 0; start < 10; start++ {
			add(digits[start : start+n])
			add(reverse(digits[start : start+n]))
		}
		for start := 0; start+n <= len(letters); start++ {
			add(letters[start : start+n])
			add(reverse(letters[start : start+n]))
		}
		for _, c := range "0123456789abcdefghijklmnopqrstuvwxyz!*." {
			add(strings.Repeat(string(c), n))
		}
	}
	for _, p := range []string{"12", "123", "1234", "12345", "21", "321", "ab", "abc", "abcd", "qwe", "asd", "zxc", "qwer",
		"asdf", "zxcv", "01", "69", "77", "88", "99", "11", "00", "007", "111", "777", "666", "xo", "ha", "la", "lol", "qaz", "wsx"} {
		add(strings.Repeat(p, (10+len(p)-1)/len(p)))
		add(strings.Repeat(p, (12+len(p)-1)/len(p)))
		add(strings.Repeat(p, 16/len(p)))
	}
	withSuffixes(suffixes[8:], false)
	for _, w := range words {
		for year := 1960; year <= 2026; year++ {
			add(fmt.Sprint(year) + w)
		}
	}
	// Dates written as passwords: ddmmyyyy and yyyymmdd padded with a common tail.
	for year := 1970; year <= 2010 && len(out) < 10000; year++ {
		for m := 1; m <= 12; m++ {
			add(fmt.Sprintf("%02d%02d%d", 1, m, year) + "00")
			add(fmt.Sprintf("%d%02d%02d", year, m, 1) + "00")
		}
	}
	fmt.Fprintf(os.Stderr, "%d passwords\n", len(out))
	for _, s := range out {
		fmt.Println(s)
	}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
