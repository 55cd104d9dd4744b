// Fernhill & Co. — a tiny shop script: product data, the cart counter, catalogue filters and the
// contact form. Everything Beckon records comes from the snippet and data-beckon-track attributes;
// the few Beckon(...) calls here show the page-side JS API.
const products = [
  { id: 'mug', name: 'Stoneware Mug', price: 24, category: 'Kitchen', blurb: 'Hand-glazed, 350 ml, dishwasher safe.', colours: [['Sage', '#4d7268'], ['Oat', '#e8dccb'], ['Charcoal', '#3a3a3a']] },
  { id: 'teapot', name: 'Cast Iron Teapot', price: 68, category: 'Kitchen', blurb: 'Enamelled inside, keeps tea hot for an hour.', colours: [['Graphite', '#37474f'], ['Forest', '#2f5d50']] },
  { id: 'lamp', name: 'Brass Desk Lamp', price: 149, category: 'Living', blurb: 'Solid brass arm, warm 2700 K LED.', colours: [['Brass & green', '#1f3a34'], ['Brass & black', '#222']] },
  { id: 'planter', name: 'Terracotta Planter', price: 32, category: 'Garden', blurb: 'Unglazed clay that lets roots breathe.', colours: [['Terracotta', '#c8693f'], ['Sand', '#d9c3a5']] },
  { id: 'throw', name: 'Washed Linen Throw', price: 89, category: 'Living', blurb: 'European flax, softer with every wash.', colours: [['Oat', '#cdbba6'], ['Clay', '#b5735a'], ['Moss', '#6b7b5a']] },
  { id: 'notebook', name: 'Linen Notebook', price: 18, category: 'Studio', blurb: '192 dotted pages of 100 gsm paper.', colours: [['Navy', '#2f4f7f'], ['Rust', '#b5533c']] },
  { id: 'candle', name: 'Fig & Cedar Candle', price: 28, category: 'Living', blurb: 'Soy wax, cotton wick, 45 hours of burn.', colours: [['Fig & cedar', '#c97b63']] },
  { id: 'vase', name: 'Glass Bud Vase', price: 22, category: 'Garden', blurb: 'Mouth-blown recycled glass, 14 cm.', colours: [['Sea glass', '#9fd3d1'], ['Amber', '#d9a15b']] },
];

const money = (value) => new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(value);
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of [].concat(children)) node.append(child);
  return node;
};

let cartCount = 0;
function toast(message) {
  let node = document.querySelector('.toast');
  if (!node) node = document.body.appendChild(el('div', { className: 'toast', role: 'status' }));
  node.textContent = message;
  node.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => node.classList.remove('show'), 2200);
}

function addToCart(product, quantity = 1) {
  cartCount += quantity;
  document.querySelectorAll('.cart-count').forEach((node) => (node.textContent = String(cartCount)));
  toast(`${product.name} added to your cart`);
}

function card(product) {
  const link = `product.html?id=${product.id}`;
  const button = el('button', { className: 'btn btn-primary', type: 'button', textContent: 'Add to cart' });
  button.dataset.beckonTrack = 'add-to-cart';
  button.dataset.beckonPropProduct = product.id;
  button.dataset.beckonPropPrice = String(product.price);
  button.addEventListener('click', () => addToCart(product));
  return el('article', { className: 'card' }, [
    el('a', { className: 'card-media', href: link, tabIndex: -1 }, el('img', { src: `img/${product.id}.svg`, alt: '', loading: 'lazy', width: 240, height: 240 })),
    el('div', { className: 'card-body' }, [
      el('span', { className: 'tag', textContent: product.category }),
      el('h3', {}, el('a', { href: link, textContent: product.name })),
      el('p', { textContent: product.blurb }),
      el('div', { className: 'card-foot' }, [el('span', { className: 'price', textContent: money(product.price) }), button]),
    ]),
  ]);
}

function renderGrid(grid, list) {
  grid.replaceChildren(...list.map(card));
}

// Home: featured products.
const featured = document.querySelector('[data-featured]');
if (featured) renderGrid(featured, products.filter((p) => ['mug', 'lamp', 'throw', 'planter'].includes(p.id)));

// Catalogue: every product, with category filters.
const catalogue = document.querySelector('[data-catalogue]');
if (catalogue) {
  const chips = document.querySelector('.chips');
  const categories = ['All', ...new Set(products.map((p) => p.category))];
  const show = (category) => {
    renderGrid(catalogue, category === 'All' ? products : products.filter((p) => p.category === category));
    chips.querySelectorAll('.chip').forEach((chip) => chip.setAttribute('aria-pressed', String(chip.textContent === category)));
  };
  for (const category of categories) {
    const chip = el('button', { className: 'chip', type: 'button', textContent: category });
    chip.dataset.beckonTrack = 'filter-category';
    chip.dataset.beckonPropCategory = category;
    chip.addEventListener('click', () => show(category));
    chips.append(chip);
  }
  show('All');
}

// Product page: product.html?id=...
const detail = document.querySelector('[data-product]');
if (detail) {
  const id = new URLSearchParams(location.search).get('id');
  const product = products.find((p) => p.id === id) ?? products[0];
  document.title = `${product.name} — Fernhill & Co.`;
  detail.querySelector('[data-name]').textContent = product.name;
  detail.querySelector('[data-crumb]').textContent = product.name;
  detail.querySelector('[data-price]').textContent = money(product.price);
  detail.querySelector('[data-blurb]').textContent = product.blurb;
  detail.querySelector('[data-category]').textContent = product.category;
  const image = detail.querySelector('[data-image]');
  image.src = `img/${product.id}.svg`;
  image.alt = product.name;
  const swatches = detail.querySelector('.swatches');
  product.colours.forEach(([name, colour], index) => {
    const input = el('input', { type: 'radio', name: 'colour', value: name, checked: index === 0 });
    swatches.append(el('label', {}, [input, el('span', { className: 'swatch', style: `background:${colour}` }), name]));
  });
  const add = detail.querySelector('[data-add]');
  add.dataset.beckonPropProduct = product.id;
  add.dataset.beckonPropPrice = String(product.price);
  add.addEventListener('click', () => addToCart(product, Math.max(1, Number(detail.querySelector('.qty').value) || 1)));
  const related = document.querySelector('[data-related]');
  renderGrid(related, products.filter((p) => p.id !== product.id && p.category === product.category).concat(products.filter((p) => p.category !== product.category)).slice(0, 4));
}

// Buttons that open the Beckon panel (a channel name, or empty for the panel itself).
document.querySelectorAll('[data-open-widget]').forEach((button) => {
  button.addEventListener('click', () => Beckon('open', button.dataset.openWidget || undefined));
});

// Contact form: tell Beckon who this visitor is, so the lead gets a name and an email.
const form = document.querySelector('[data-contact-form]');
if (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    Beckon('identify', { name: String(data.get('name') || ''), email: String(data.get('email') || '') });
    Beckon('track', 'contact-form', { topic: String(data.get('topic') || 'other') });
    form.replaceChildren(
      el('div', { className: 'notice', role: 'status' }, [
        el('strong', { textContent: `Thank you, ${String(data.get('name') || 'friend')}.` }),
        ' We answer every message within one working day.',
      ]),
    );
  });
}
