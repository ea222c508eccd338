package io.moescope.app.diagnose;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Two small chart kinds drawn into images: a labelled heatmap and grouped bars (values in [0, 1] or any). */
final class Plot {

    private static final Color[] SERIES = {new Color(0x3B4CC0), new Color(0xE07B39), new Color(0x2CA02C)};
    private static final int[] RAMP = {0x0B0B2B, 0x3B4CC0, 0x5FB3B3, 0xF7F7A1};

    private Plot() {
    }

    static BufferedImage heatmap(String title, double[][] v, List<String> rows, List<String> cols, String xName) {
        int cell = Math.max(6, Math.min(28, 900 / Math.max(1, cols.size())));
        int left = 20 + 7 * rows.stream().mapToInt(String::length).max().orElse(2);
        int top = 40;
        int w = left + cell * cols.size() + 90;
        int h = top + cell * rows.size() + 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img, title);
        double max = 0;
        for (double[] row : v) {
            for (double x : row) {
                max = Math.max(max, x);
            }
        }
        for (int r = 0; r < v.length; r++) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(rows.get(r), 8, top + r * cell + cell / 2 + 5);
            for (int c = 0; c < v[r].length; c++) {
                g.setColor(new Color(ramp(max > 0 ? v[r][c] / max : 0)));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
            }
        }
        g.setColor(Color.DARK_GRAY);
        int step = Math.max(1, (int) Math.ceil(24.0 / cell));
        for (int c = 0; c < cols.size(); c += step) {
            g.drawString(cols.get(c), left + c * cell + 1, top + rows.size() * cell + 14);
        }
        g.drawString(xName, left, top + rows.size() * cell + 32);
        int lx = w - 70;
        for (int y = 0; y < 100; y++) {
            g.setColor(new Color(ramp(1 - y / 99.0)));
            g.fillRect(lx, top + y, 14, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(fmt(max), lx + 18, top + 10);
        g.drawString("0", lx + 18, top + 100);
        g.dispose();
        return img;
    }

    static BufferedImage bars(String title, List<String> groups, double[][] series, List<String> names, double min) {
        int per = Math.max(12, Math.min(40, 700 / Math.max(1, groups.size() * series.length)));
        int left = 60;
        int top = 50;
        int plotH = 240;
        int w = Math.max(520, left + groups.size() * (per * series.length + 12) + 40);
        BufferedImage img = new BufferedImage(w, top + plotH + 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img, title);
        double max = min;
        for (double[] s : series) {
            for (double x : s) {
                max = Math.max(max, x);
            }
        }
        max = max <= min ? min + 1 : max;
        g.setColor(Color.LIGHT_GRAY);
        for (int t = 0; t <= 4; t++) {
            int y = top + plotH - t * plotH / 4;
            g.drawLine(left, y, w - 20, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmt(min + (max - min) * t / 4), 8, y + 4);
            g.setColor(Color.LIGHT_GRAY);
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            int x0 = left + 6 + gi * (per * series.length + 12);
            for (int s = 0; s < series.length; s++) {
                double val = Double.isFinite(series[s][gi]) ? series[s][gi] : 0;
                int bh = (int) Math.round((val - min) / (max - min) * plotH);
                g.setColor(SERIES[s % SERIES.length]);
                g.fillRect(x0 + s * per, top + plotH - bh, per - 2, bh);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(groups.get(gi), x0, top + plotH + 16);
        }
        for (int s = 0; s < names.size(); s++) {
            g.setColor(SERIES[s % SERIES.length]);
            g.fillRect(left + s * 150, top + plotH + 28, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names.get(s), left + s * 150 + 16, top + plotH + 39);
        }
        g.dispose();
        return img;
    }

    private static Graphics2D start(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 8, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1f));
        return g;
    }

    /** Linear interpolation through the ramp's stops, t in [0, 1]. */
    static int ramp(double t) {
        double x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) x);
        double f = x - i;
        int a = RAMP[i];
        int b = RAMP[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int gr = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (gr << 8) | bl;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.3g", v);
    }
}
