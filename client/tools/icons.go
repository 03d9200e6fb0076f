//go:build ignore

// icons writes the app's PNG icons (192 and 512 px, also maskable) into
// web/icons: a white check mark in a rounded blue square. Run from client/:
//
//	go run tools/icons.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

func main() {
	for _, size := range []int{192, 512} {
		if err := write(size); err != nil {
			panic(err)
		}
	}
}

func write(size int) error {
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{
		color.RGBA{0x1d, 0x4e, 0x89, 0xff}, color.White,
	})
	s := float64(size)
	// Check mark: two thick segments, kept inside the maskable safe zone (80 %).
	a, b, c := [2]float64{0.30 * s, 0.52 * s}, [2]float64{0.44 * s, 0.66 * s}, [2]float64{0.72 * s, 0.36 * s}
	w := 0.07 * s
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			p := [2]float64{float64(x) + .5, float64(y) + .5}
			if dist(p, a, b) < w || dist(p, b, c) < w {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	f, err := os.Create("web/icons/icon-" + itoa(size) + ".png")
	if err != nil {
		return err
	}
	defer f.Close()
	return (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, img)
}

func dist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy))
}

func itoa(n int) string {
	if n == 192 {
		return "192"
	}
	return "512"
}
