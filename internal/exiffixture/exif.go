// Package exiffixture makes JPEG photos that carry what a phone's camera
// writes into them (GPS coordinates, the camera's make, model and serial
// number) for the tests of photo stripping (issue 18). Only tests and the
// benchmark use it.
package exiffixture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
)

// Serial is the camera serial number every fixture carries.
const Serial = "CAMSERIAL-7731-QX"

// JPEG returns a w×h JPEG of quality q with an EXIF block (APP1) holding
// GPS latitude and longitude, the camera's make and model, and Serial as
// the body serial number. noise (0-255) adds random pixels so that the file
// has a realistic size; seed makes it repeatable.
func JPEG(w, h, q int, noise uint8, seed uint64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 18))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			n := uint8(0)
			if noise > 0 {
				n = uint8(rng.IntN(int(noise) + 1))
			}
			c := color.RGBA{uint8(x*255/w) ^ n, uint8(y*255/h) ^ n, 120 ^ n, 255}
			copy(row[4*x:], []uint8{c.R, c.G, c.B, c.A})
		}
	}
	var out bytes.Buffer
	jpeg.Encode(&out, img, &jpeg.Options{Quality: q})
	raw := out.Bytes()
	seg := app1(exifTIFF())
	return append(append(append([]byte{}, raw[:2]...), seg...), raw[2:]...)
}

func app1(payload []byte) []byte {
	body := append([]byte("Exif\x00\x00"), payload...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// entry is one TIFF IFD entry; data longer than 4 bytes goes after the IFDs.
type entry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func ascii(s string) []byte { return append([]byte(s), 0) }

func rationals(vals ...[2]uint32) []byte {
	var b []byte
	for _, v := range vals {
		b = binary.BigEndian.AppendUint32(b, v[0])
		b = binary.BigEndian.AppendUint32(b, v[1])
	}
	return b
}

// exifTIFF builds a big-endian TIFF with IFD0 (Make, Model, pointers to the
// Exif and GPS IFDs), an Exif IFD (BodySerialNumber) and a GPS IFD
// (43°14'17" N, 76°53'44" E).
func exifTIFF() []byte {
	mk, model := ascii("DemoPhone"), ascii("DP-18 Pro")
	serial := ascii(Serial)
	lat := rationals([2]uint32{43, 1}, [2]uint32{14, 1}, [2]uint32{1700, 100})
	lon := rationals([2]uint32{76, 1}, [2]uint32{53, 1}, [2]uint32{4400, 100})
	ifd0 := []entry{{0x010F, 2, uint32(len(mk)), mk}, {0x0110, 2, uint32(len(model)), model},
		{0x8769, 4, 1, nil}, {0x8825, 4, 1, nil}}
	exifIFD := []entry{{0xA431, 2, uint32(len(serial)), serial}}
	gps := []entry{{0x0001, 2, 2, ascii("N")}, {0x0002, 5, 3, lat}, {0x0003, 2, 2, ascii("E")}, {0x0004, 5, 3, lon}}

	size := func(es []entry) int { return 2 + 12*len(es) + 4 }
	off0 := 8
	offExif := off0 + size(ifd0)
	offGPS := offExif + size(exifIFD)
	dataOff := offGPS + size(gps)
	var data []byte
	put := func(b *[]byte, es []entry) {
		*b = binary.BigEndian.AppendUint16(*b, uint16(len(es)))
		for _, e := range es {
			*b = binary.BigEndian.AppendUint16(*b, e.tag)
			*b = binary.BigEndian.AppendUint16(*b, e.typ)
			*b = binary.BigEndian.AppendUint32(*b, e.count)
			switch {
			case e.tag == 0x8769:
				*b = binary.BigEndian.AppendUint32(*b, uint32(offExif))
			case e.tag == 0x8825:
				*b = binary.BigEndian.AppendUint32(*b, uint32(offGPS))
			case len(e.data) <= 4:
				v := make([]byte, 4)
				copy(v, e.data)
				*b = append(*b, v...)
			default:
				*b = binary.BigEndian.AppendUint32(*b, uint32(dataOff+len(data)))
				data = append(data, e.data...)
			}
		}
		*b = binary.BigEndian.AppendUint32(*b, 0)
	}
	t := []byte{'M', 'M', 0, 42, 0, 0, 0, 8}
	put(&t, ifd0)
	put(&t, exifIFD)
	put(&t, gps)
	return append(t, data...)
}

// WithComment returns the JPEG jpg with a comment segment (COM) after its
// start: the same picture as other bytes (a benchmark's distinct photos).
func WithComment(jpg []byte, text string) []byte {
	seg := []byte{0xFF, 0xFE, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(text)+2))
	seg = append(seg, text...)
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}
