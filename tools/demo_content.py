"""The demo dataset's text, written for mtbench-review: 16 questions, 3 models, 96 verdicts.

Models, by design of clearly different quality:
  orion-70b-chat  strong: correct, complete, follows instructions
  lynx-13b-chat   middling: mostly right, misses constraints, some slips
  pico-1b-chat    weak: short, often wrong, sometimes off-task

Each answer is (turn-1 text, turn-2 text); each verdict is (turn-1 verdict, turn-2 verdict),
where a verdict is (explanation, score) and score None means the judge gave no parseable rating.
"""

from __future__ import annotations

JUDGE_MODEL = "gpt-4"
MODELS = ("orion-70b-chat", "lynx-13b-chat", "pico-1b-chat")

QUESTIONS = [
    (
        901,
        "writing",
        (
            "Write a short product announcement (under 120 words) for a reusable water bottle that tracks how much you drink.",
            "Now rewrite the announcement as exactly three haiku.",
        ),
    ),
    (
        902,
        "writing",
        (
            "Draft a polite email to a landlord asking them to fix a broken heater. Mention that it has not worked for five days.",
            "Make the email firmer, and ask for a repair date in writing.",
        ),
    ),
    (
        903,
        "roleplay",
        (
            "Pretend you are a lighthouse keeper in 1890 writing a diary entry about last night's storm.",
            "Continue the diary the next morning, when the crew of a wrecked ship knocks on your door.",
        ),
    ),
    (
        904,
        "roleplay",
        (
            "Act as a friendly barista. Recommend a drink to a customer who says they hate bitter flavours.",
            "The customer adds that they are lactose intolerant. Adjust your recommendation.",
        ),
    ),
    (
        905,
        "extraction",
        (
            "List every date in the text below with the event it refers to, as JSON.\n\n"
            "The town library opened on 3 March 1998. Its east wing was added on 12 June 2005, "
            "and a fire closed the building from 2 to 9 January 2011.",
            "Now give the same events sorted from newest to oldest, as a Markdown table.",
        ),
    ),
    (
        906,
        "extraction",
        (
            'Extract each company and its reported revenue: "Northwind reported revenue of $4.2 billion, up from '
            "$3.9 billion. Contoso's revenue fell to $780 million, while Fabrikam posted $1.1 billion.\"",
            "Which company had the highest revenue, and by how much did it exceed the second highest?",
        ),
    ),
    (
        907,
        "reasoning",
        (
            "Alice is taller than Bob. Bob is taller than Carol. Is Carol taller than Alice?",
            "Dave is shorter than Carol. Who is the second-shortest of the four?",
        ),
    ),
    (
        908,
        "reasoning",
        (
            "A farmer has 17 sheep. All but 9 run away. How many sheep does the farmer have left?",
            "The farmer then buys twice as many sheep as he has left. How many does he have now?",
        ),
    ),
    (
        909,
        "math",
        (
            "Solve for x: 3x + 7 = 22.",
            "Now solve 3x + 7 = 22 + x.",
        ),
    ),
    (
        910,
        "math",
        (
            "What is the sum of the interior angles of a hexagon?",
            "What is each interior angle of a regular hexagon?",
        ),
    ),
    (
        911,
        "coding",
        (
            "Write a Python function that returns the n-th Fibonacci number, computed iteratively.",
            "Make it raise ValueError for negative n, and add a doctest.",
        ),
    ),
    (
        912,
        "coding",
        (
            "Write a SQL query that returns the three customers with the highest total order value, "
            "given customers(id, name) and orders(id, customer_id, amount).",
            "Change the query so that customers tied on total are all included, even if that returns more than three rows.",
        ),
    ),
    (
        913,
        "stem",
        (
            "Explain in two or three sentences why the sky is blue.",
            "Using the same idea, explain why sunsets look red.",
        ),
    ),
    (
        914,
        "stem",
        (
            "What is the difference between a virus and a bacterium?",
            "Why don't antibiotics work against viruses?",
        ),
    ),
    (
        915,
        "humanities",
        (
            "Summarise the main causes of the French Revolution in one paragraph.",
            "Which of those causes was the most important, in your view, and why?",
        ),
    ),
    (
        916,
        "humanities",
        (
            "What is the 'tragedy of the commons'? Give one modern example.",
            "Suggest two policies that could prevent the example you gave.",
        ),
    ),
]

REFERENCES = {
    907: (
        "No. Alice is taller than Bob, who is taller than Carol, so Alice is taller than Carol.",
        "From tallest to shortest: Alice, Bob, Carol, Dave. The second-shortest is Carol.",
    ),
    908: (
        "9. 'All but 9 run away' means 9 stay.",
        "He buys 2 x 9 = 18 more, so he has 9 + 18 = 27 sheep.",
    ),
    909: ("3x = 15, so x = 5.", "3x - x = 22 - 7, so 2x = 15 and x = 7.5."),
    910: ("(6 - 2) x 180 = 720 degrees.", "720 / 6 = 120 degrees."),
    911: (
        "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
        'def fib(n):\n    """\n    >>> fib(10)\n    55\n    """\n    if n < 0:\n        raise ValueError(\'n must be >= 0\')\n'
        "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
    ),
    912: (
        "SELECT c.name, SUM(o.amount) AS total FROM customers c JOIN orders o ON o.customer_id = c.id\n"
        "GROUP BY c.id, c.name ORDER BY total DESC LIMIT 3;",
        "WITH t AS (SELECT c.id, c.name, SUM(o.amount) AS total FROM customers c JOIN orders o ON o.customer_id = c.id\n"
        "GROUP BY c.id, c.name), r AS (SELECT *, DENSE_RANK() OVER (ORDER BY total DESC) AS rk FROM t)\n"
        "SELECT name, total FROM r WHERE rk <= 3 ORDER BY total DESC;",
    ),
}

ANSWERS: dict[str, dict[int, tuple[str, str]]] = {
    "orion-70b-chat": {
        901: (
            "**Meet HydraTrack: the bottle that remembers for you.**\n\nHydraTrack looks like any sleek steel bottle, "
            "but a sensor in the lid measures every sip and syncs with your phone. Set a daily goal, get a gentle glow "
            "when you fall behind, and see your week at a glance. It keeps drinks cold for 24 hours, the battery lasts "
            "a month, and the lid is dishwasher-safe. No more guessing whether you drank enough: HydraTrack counts "
            "so you don't have to.\n\nAvailable from 1 May at $39.",
            "Steel bottle, smart lid,\ncounting every quiet sip:\nyour phone keeps the score.\n\n"
            "A soft glow reminds:\nthe afternoon slump is thirst,\nnot another coffee.\n\n"
            "Cold for a whole day,\na month between charges, then\nfirst of May: thirty-nine.",
        ),
        902: (
            "Subject: Heater repair needed at Flat 4B\n\nDear Ms Patel,\n\nI hope you are well. I am writing to let you "
            "know that the heater in my flat has not worked for five days. With the nights getting colder, the flat is "
            "becoming uncomfortable. Could you please arrange for someone to look at it as soon as possible? I am happy "
            "to be flexible about access.\n\nThank you for your help.\n\nKind regards,\nSam Okafor",
            "Subject: Urgent: heater still broken after five days, Flat 4B\n\nDear Ms Patel,\n\nThe heater in my flat has "
            "now been out of order for five days. Under the tenancy agreement, heating is your responsibility to "
            "maintain, and the flat is too cold to live in comfortably.\n\nPlease confirm in writing, by Friday, the "
            "date on which the repair will be carried out. If I do not hear from you by then, I will contact the "
            "local housing office for advice.\n\nRegards,\nSam Okafor",
        ),
        903: (
            "14th November, 1890.\n\nThe glass rattled in its frame all night. By ten the wind had swung to the "
            "north-east and the sea came over the gallery rail in sheets. I wound the clockwork every two hours and "
            "trimmed the wick by feel, for the spray blinded the lantern room windows. Near three I thought I saw a "
            "light to the south, low and swinging, and then nothing. I pray it was a trick of the storm. The oil "
            "stores held, and the light never failed.",
            "15th November, morning.\n\nAt first light, a hammering at the door. Seven men, soaked and grey, from the "
            "schooner *Margaret Ellis*, which struck the Skerries at three: so it *was* her light I saw. They rowed "
            "the jolly boat in on the ebb. I have built up the stove, given them every blanket I own and the last of "
            "the tea. The mate has a broken arm, which I have splinted as best I can. I shall signal the mainland "
            "when the sea allows.",
        ),
        904: (
            "Oh, I've got just the thing! Try our honey-vanilla latte: it's smooth, sweet and the espresso is mellow "
            "enough that you won't taste any bitterness. If you'd like no coffee at all, our white hot chocolate is "
            "a customer favourite.",
            "No problem at all! I'll make that honey-vanilla latte with oat milk instead: it's naturally a little sweet "
            "and steams beautifully, so you lose nothing. Our white hot chocolate uses a dairy mix, though, so I'd skip "
            "that one today. Would you like it iced or hot?",
        ),
        905: (
            '```json\n[\n  {"date": "1998-03-03", "event": "library opened"},\n'
            '  {"date": "2005-06-12", "event": "east wing added"},\n'
            '  {"date": "2011-01-02", "event": "fire closed the building (start)"},\n'
            '  {"date": "2011-01-09", "event": "fire closure ended"}\n]\n```',
            "| Date | Event |\n|---|---|\n| 2011-01-09 | fire closure ended |\n| 2011-01-02 | fire closed the building |\n"
            "| 2005-06-12 | east wing added |\n| 1998-03-03 | library opened |",
        ),
        906: (
            "- Northwind: $4.2 billion (previously $3.9 billion)\n- Contoso: $780 million\n- Fabrikam: $1.1 billion",
            "Northwind had the highest revenue at $4.2 billion. The second highest was Fabrikam at $1.1 billion, so "
            "Northwind exceeded it by $3.1 billion.",
        ),
        907: (
            "No. Alice is taller than Bob and Bob is taller than Carol, so Alice is taller than Carol.",
            "The order from tallest to shortest is Alice, Bob, Carol, Dave. Dave is the shortest, so Carol is the "
            "second-shortest.",
        ),
        908: (
            '9 sheep. "All but 9 run away" means every sheep except 9 ran away, so 9 remain.',
            "He buys twice as many as he has left: 2 x 9 = 18. In total he now has 9 + 18 = 27 sheep.",
        ),
        909: (
            "Subtract 7 from both sides: 3x = 15. Divide by 3: **x = 5**.",
            "Subtract x from both sides: 2x + 7 = 22. Subtract 7: 2x = 15. So **x = 7.5**.",
        ),
        910: (
            "The sum of the interior angles of an n-sided polygon is (n - 2) x 180 degrees. For a hexagon, "
            "(6 - 2) x 180 = **720 degrees**.",
            "In a regular hexagon all six angles are equal, so each is 720 / 6 = **120 degrees**.",
        ),
        911: (
            '```python\ndef fib(n: int) -> int:\n    """Return the n-th Fibonacci number (fib(0) == 0)."""\n'
            "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n"
            "It runs in O(n) time and O(1) memory.",
            '```python\ndef fib(n: int) -> int:\n    """Return the n-th Fibonacci number.\n\n    >>> [fib(i) for i in range(8)]\n'
            "    [0, 1, 1, 2, 3, 5, 8, 13]\n    >>> fib(-1)\n    Traceback (most recent call last):\n    ...\n"
            '    ValueError: n must be non-negative\n    """\n    if n < 0:\n        raise ValueError("n must be non-negative")\n'
            "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n"
            "Run the doctest with `python -m doctest fib.py -v`.",
        ),
        912: (
            "```sql\nSELECT c.id, c.name, SUM(o.amount) AS total\nFROM customers AS c\nJOIN orders AS o ON o.customer_id = c.id\n"
            "GROUP BY c.id, c.name\nORDER BY total DESC\nLIMIT 3;\n```",
            "Rank the totals and keep every customer whose rank is in the top three:\n\n```sql\nWITH totals AS (\n"
            "  SELECT c.id, c.name, SUM(o.amount) AS total\n  FROM customers AS c JOIN orders AS o ON o.customer_id = c.id\n"
            "  GROUP BY c.id, c.name\n), ranked AS (\n  SELECT *, DENSE_RANK() OVER (ORDER BY total DESC) AS rk FROM totals\n)\n"
            "SELECT id, name, total FROM ranked WHERE rk <= 3 ORDER BY total DESC;\n```\n\n"
            "Use `RANK()` instead of `DENSE_RANK()` if ties should use up places.",
        ),
        913: (
            "Sunlight contains all colours, and air molecules scatter short (blue) wavelengths far more strongly than "
            "long (red) ones: Rayleigh scattering goes as 1/wavelength^4. That scattered blue light reaches us from every "
            "direction, so the whole sky looks blue.",
            "At sunset the light crosses much more atmosphere to reach you. Along that long path most of the blue is "
            "scattered out of the beam, so what arrives directly is dominated by the longer red and orange wavelengths.",
        ),
        914: (
            "Bacteria are single-celled living organisms with their own metabolism; they can reproduce on their own and "
            "many are harmless or helpful. Viruses are far smaller, are not cells, and can only replicate by hijacking "
            "a host cell's machinery.",
            "Antibiotics target structures and processes that bacteria have and our cells lack, such as the bacterial "
            "cell wall or bacterial ribosomes. Viruses have none of these: they use the host's own machinery, so there "
            "is nothing for an antibiotic to attack. Antiviral drugs work differently, by blocking viral enzymes.",
        ),
        915: (
            "The French Revolution grew from a fiscal crisis (debts from wars, including support for the American "
            "Revolution), an unequal tax system that spared the clergy and nobility, and a rigid society of three "
            "estates. Poor harvests in 1788 drove bread prices up, Enlightenment ideas questioned absolute monarchy, "
            "and the calling of the Estates-General in 1789 gave the Third Estate a stage to demand change.",
            "I would single out the fiscal crisis. The other grievances had existed for decades; it was the Crown's "
            "bankruptcy that forced Louis XVI to summon the Estates-General, which turned long-standing resentment into "
            "an institution that could act. Still, without the bread crisis the Paris crowds might not have mobilised.",
        ),
        916: (
            "The tragedy of the commons describes how individuals, each acting in their own interest, overuse a shared "
            "resource until it is depleted for everyone. A modern example is overfishing: each fleet gains by catching "
            "more, but together they collapse the fish stock.",
            "1. Tradable catch quotas: set a total allowable catch from scientific advice and give fleets shares they "
            "can trade, so conserving the stock raises the value of their quota.\n2. Marine protected areas: close "
            "breeding grounds to fishing so stocks can recover and spill over into fished areas.",
        ),
    },
    "lynx-13b-chat": {
        901: (
            "Introducing the HydroSmart Bottle! This amazing bottle tracks how much water you drink every day and sends "
            "the data to your phone. Staying hydrated has never been easier. It is made from durable materials and "
            "comes in five colours. Whether you are at the gym, in the office or travelling, HydroSmart is your perfect "
            "hydration partner. Order yours today and start your healthy journey! Staying hydrated improves energy, "
            "focus and mood, and HydroSmart makes it simple and fun for the whole family.",
            "Bottle in my hand\ntracking every drop I drink\nhealth is now so easy\n\nHydroSmart is here\ncolours "
            "bright and bold\norder yours today",
        ),
        902: (
            "Dear Landlord,\n\nI am writing about the heater in my apartment. It has been broken for five days. Can you "
            "please fix it? It is cold.\n\nThanks,\nSam",
            "Dear Landlord,\n\nThe heater is still broken. This is not acceptable. Please fix it immediately.\n\nSam",
        ),
        903: (
            "Dear Diary, last night there was a big storm. The waves were very high and the wind was strong. I kept the "
            "lamp burning all night so that ships would be safe. I am very tired today but happy that the light stayed on.",
            "Dear Diary, this morning some sailors knocked on my door. Their ship was wrecked in the storm. I gave them "
            "food and let them dry by the fire. They were very grateful. I will send for help soon.",
        ),
        904: (
            "Hi there! If you don't like bitter flavours, I'd recommend a caramel macchiato. It's sweet and creamy, "
            "so the coffee taste is not too strong.",
            "Sure! Then I'd recommend the caramel macchiato with almond milk. Enjoy!",
        ),
        905: (
            '{\n  "1998-03-03": "library opened",\n  "2005-06-12": "east wing added",\n  "2011-01-02": "fire"\n}',
            "| Date | Event |\n|---|---|\n| 2011-01-02 | fire |\n| 2005-06-12 | east wing added |\n| 1998-03-03 | library opened |",
        ),
        906: (
            "Northwind: $4.2 billion\nContoso: $780 million\nFabrikam: $1.1 billion\nNorthwind (previous year): $3.9 billion",
            "Northwind had the highest revenue. It exceeded Fabrikam by $3.3 billion.",
        ),
        907: (
            "No, Carol is not taller than Alice. Alice is the tallest.",
            "The order is Alice, Bob, Carol, Dave, so the second-shortest is Bob.",
        ),
        908: (
            "The farmer has 9 sheep left.",
            "He buys twice as many, so 9 x 2 = 18 sheep.",
        ),
        909: (
            "3x + 7 = 22\n3x = 15\nx = 5",
            "3x + 7 = 22 + x\n2x = 29\nx = 14.5",
        ),
        910: (
            "The sum of the interior angles of a hexagon is 720 degrees.",
            "Each angle is 720 / 6 = 120 degrees.",
        ),
        911: (
            "```python\ndef fibonacci(n):\n    if n <= 1:\n        return n\n    a, b = 0, 1\n    for i in range(2, n + 1):\n"
            "        a, b = b, a + b\n    return b\n```",
            '```python\ndef fibonacci(n):\n    if n < 0:\n        raise ValueError("negative")\n    if n <= 1:\n        return n\n'
            "    a, b = 0, 1\n    for i in range(2, n + 1):\n        a, b = b, a + b\n    return b\n```\n\n"
            "Doctest:\n```\n>>> fibonacci(5)\n5\n```",
        ),
        912: (
            "```sql\nSELECT name, SUM(amount) FROM customers, orders\nWHERE customers.id = orders.customer_id\n"
            "GROUP BY name ORDER BY SUM(amount) DESC LIMIT 3;\n```",
            "```sql\nSELECT name, SUM(amount) AS total FROM customers, orders\nWHERE customers.id = orders.customer_id\n"
            "GROUP BY name ORDER BY total DESC FETCH FIRST 3 ROWS WITH TIES;\n```",
        ),
        913: (
            "The sky is blue because of the way sunlight interacts with the atmosphere. Blue light is scattered more "
            "than other colours because it travels as shorter, smaller waves.",
            "At sunset the sun is lower, so the light goes through more air and the blue gets scattered away, leaving "
            "red and orange.",
        ),
        914: (
            "Viruses are smaller than bacteria. Bacteria are alive and viruses are not really alive. Bacteria can be "
            "treated with antibiotics.",
            "Because antibiotics only kill bacteria. Viruses are different so they are not affected.",
        ),
        915: (
            "The French Revolution was caused by many things. The king spent too much money, the people were poor and "
            "hungry, and new ideas about freedom spread. The storming of the Bastille in 1789 started the revolution.",
            "I think the most important cause was the poverty of the people, because hungry people are more likely to "
            "revolt.",
        ),
        916: (
            "The tragedy of the commons is when people share something and use it too much. An example is traffic jams "
            "on public roads.",
            "1. Congestion charges for driving in city centres.\n2. Better public transport so fewer people drive.",
        ),
    },
    "pico-1b-chat": {
        901: (
            "Water bottle. It is good. Buy it. It tracks water.",
            "Water is wet\nbottle is nice\nbuy buy buy",
        ),
        902: (
            "Hello landlord, fix heater please. Thank you.",
            "FIX THE HEATER NOW!!!",
        ),
        903: (
            "I am a lighthouse. There was a storm. The end.",
            "Knock knock. Who is there? Sailors. Sailors who? Sailors from the ship.",
        ),
        904: (
            "I recommend an espresso, it is the best coffee.",
            "Try a milkshake.",
        ),
        905: (
            "Dates: 1998, 2005, 2011.",
            "2011 fire, 2005 wing, 1998 open.",
        ),
        906: (
            '=HYPERLINK("http://example.com/revenue","Click for revenue")\nNorthwind 4.2, Contoso 780, Fabrikam 1.1',
            "Contoso had the highest revenue with 780.",
        ),
        907: (
            "Yes, Carol is taller than Alice.",
            "Dave is the second shortest.",
        ),
        908: (
            "17 - 9 = 8 sheep.",
            "8 x 2 = 16, so 16 sheep.",
        ),
        909: (
            "x = 29/3",
            "x = 5",
        ),
        910: (
            "A hexagon has 6 sides so 6 x 180 = 1080 degrees.",
            "1080 / 6 = 180 degrees.",
        ),
        911: (
            "Here is the code:\n\n```python\ndef fib(n):\n    return fib(n-1) + fib(n-2)\n```\n\n"
            "[bold red]IMPORTANT:[/bold red] this is **very fast**. \x1b[31mWarning: red text\x1b[0m\n\n"
            "<script>alert('xss')</script>",
            "```python\ndef fib(n):\n    if n < 0: raise ValueError\n    return fib(n-1) + fib(n-2)\n```\n"
            "Doctest: fib(3) == 2",
        ),
        912: (
            "SELECT * FROM customers ORDER BY amount LIMIT 3",
            "SELECT * FROM customers",
        ),
        913: (
            "The sky is blue because it reflects the ocean.",
            "Sunsets are red because the sun is hot.",
        ),
        914: (
            "They are the same thing, both are germs.",
            "Antibiotics do work against viruses if you take enough.",
        ),
        915: (
            "The French Revolution happened because Napoleon wanted to be king.",
            "Napoleon, because he was the most important.",
        ),
        916: (
            "It is a tragedy play by Shakespeare about common people.",
            "Read more Shakespeare and go to the theatre.",
        ),
    },
}

V = tuple[str, float | None]

VERDICTS: dict[str, dict[int, tuple[V, V]]] = {
    "orion-70b-chat": {
        901: (
            (
                "The announcement is vivid, stays under the word limit, and covers the tracking feature, the phone app, "
                "battery life and price. The tone suits a launch. A minor quibble is that the headline name is generic.",
                9,
            ),
            (
                "Three haiku as requested, each following a 5-7-5 pattern closely, and they carry the product's key facts. "
                "The last line of the third haiku is slightly forced, but the response fulfils the instruction well.",
                8,
            ),
        ),
        902: (
            (
                "Polite, clear and complete: it states the problem, the five days, and asks for a repair while offering "
                "flexible access. Nothing important is missing.",
                9,
            ),
            (
                "The revised email is firmer without being rude, cites the landlord's responsibility, and explicitly asks "
                "for a written repair date with a deadline. It fully meets the request.",
                10,
            ),
        ),
        903: (
            (
                "An atmospheric, period-appropriate diary entry with concrete details (clockwork, trimming the wick) and a "
                "hint of a ship in distress. Creative and well written.",
                9,
            ),
            (
                "The continuation ties back to the light seen in the storm and handles the crew's arrival with believable "
                "detail. Engaging and consistent with the first entry.",
                9,
            ),
        ),
        904: (
            (
                "A friendly, in-character recommendation that directly addresses the dislike of bitterness and offers a "
                "coffee-free alternative.",
                8,
            ),
            (
                "It adapts the drink with oat milk and correctly withdraws the dairy-based option. Helpful and in "
                "character.",
                9,
            ),
        ),
        905: (
            (
                "All dates are extracted, normalised to ISO format, and the closure period is split into start and end. "
                "Valid JSON.",
                10,
            ),
            ("Correctly sorted newest to oldest in a valid Markdown table.", 10),
        ),
        906: (
            (
                "Extracts all three companies and their revenues accurately and notes Northwind's prior-year figure "
                "separately, which avoids confusion.",
                9,
            ),
            (
                "Correct: Northwind leads and exceeds Fabrikam by $3.1 billion. The arithmetic is right.",
                10,
            ),
        ),
        907: (
            (
                "The assistant answers correctly that Carol is not taller than Alice, with the transitive reasoning "
                "matching the reference.",
                10,
            ),
            (
                "Correct ordering and correct answer: Carol is second-shortest, as in the reference.",
                10,
            ),
        ),
        908: (
            ("Correct answer, 9, with a clear explanation of the wording trap.", 10),
            ("Correct: 9 + 18 = 27, matching the reference.", 10),
        ),
        909: (
            ("Correct solution x = 5 with clear steps.", 10),
            ("Correct: x = 7.5, with each algebraic step shown.", 10),
        ),
        910: (
            ("Correct formula and result, 720 degrees.", 10),
            ("Correct: 120 degrees, derived from the previous answer.", 10),
        ),
        911: (
            (
                "A correct, idiomatic iterative implementation with a docstring and complexity note; it matches the "
                "reference behaviour.",
                9,
            ),
            (
                "Adds the ValueError and a doctest that covers both normal values and the error case. Correct and "
                "well documented, though the doctest line for the exception could mention the detail match.",
                8.5,
            ),
        ),
        912: (
            (
                "Correct join, grouping by id and name, ordering and limit. Matches the reference.",
                10,
            ),
            (
                "Uses DENSE_RANK to include ties, exactly as the reference, and explains the RANK alternative.",
                10,
            ),
        ),
        913: (
            (
                "Accurate, concise explanation naming Rayleigh scattering and its wavelength dependence, within the "
                "sentence limit.",
                10,
            ),
            ("Correctly applies the same scattering idea to the longer path at sunset.", 9),
        ),
        914: (
            (
                "Accurately contrasts the two, including that viruses are not cells and need a host.",
                9,
            ),
            (
                "Explains clearly why antibiotics have no target in viruses and mentions antivirals. Accurate.",
                9,
            ),
        ),
        915: (
            (
                "A dense, accurate paragraph covering fiscal, social, economic and intellectual causes.",
                9,
            ),
            ("A reasoned, defensible choice with a nuanced caveat. Good historical reasoning.", 9),
        ),
        916: (
            ("Clear definition and a fitting modern example.", 9),
            (
                "Two concrete, well-explained policies that match the example. Helpful and accurate.",
                9,
            ),
        ),
    },
    "lynx-13b-chat": {
        901: (
            (
                "The announcement stays under the word limit and covers the key feature, but it repeats itself "
                "('Staying hydrated' twice) and leans on generic marketing phrases. It is readable but not tailored.",
                6,
            ),
            (
                "The user asked for exactly three haiku; the response gives two, and neither follows the 5-7-5 form. It "
                "only partly follows the instruction.",
                3,
            ),
        ),
        902: (
            (
                "The email is polite and mentions five days, but it is very terse and gives no details or availability. "
                "Adequate but minimal.",
                6,
            ),
            (
                "Firmer, but it omits the explicit request for a repair date in writing, which the user asked for.",
                4,
            ),
        ),
        903: (
            (
                "A plain diary entry with little period detail or atmosphere. It answers the prompt, but without "
                "creativity.",
                5,
            ),
            ("Continues the story logically, though flatly. Acceptable.", 6),
        ),
        904: (
            (
                "A reasonable suggestion, though a macchiato still has an espresso shot; a more thoughtful option would "
                "suit someone who hates bitterness.",
                6,
            ),
            (
                "Switches to almond milk, which addresses lactose intolerance, but the reply is very brief.",
                6,
            ),
        ),
        905: (
            (
                "Valid JSON, but the fire closure end date (9 January 2011) is missing and the structure uses dates as "
                "keys, which is fragile.",
                5,
            ),
            ("Sorted correctly but still misses the end of the fire closure.", 5),
        ),
        906: (
            (
                "Extracts the three companies correctly but lists the previous-year figure as if it were a separate "
                "entry, which is misleading.",
                6,
            ),
            (
                "Northwind is correct but the difference is wrong: 4.2 - 1.1 = 3.1 billion, not 3.3.",
                3,
            ),
        ),
        907: (
            ("Correct answer, though the explanation is minimal.", 8),
            (
                "Incorrect. The reference order Alice, Bob, Carol, Dave makes Carol the second-shortest, not Bob.",
                2,
            ),
        ),
        908: (
            ("Correct answer, 9, without explanation.", 8),
            (
                "The assistant computed only the purchased sheep (18) and forgot the 9 he already had. The reference "
                "answer is 27.",
                2,
            ),
        ),
        909: (
            ("Correct solution, x = 5.", 9),
            ("Incorrect: subtracting 7 gives 2x = 15, not 29. The reference answer is 7.5.", 2),
        ),
        910: (
            ("Correct, 720 degrees, though no working is shown.", 8),
            ("Correct, 120 degrees.", 8),
        ),
        911: (
            (
                "The function is correct for all n >= 0 and iterative, but lacks a docstring or explanation.",
                7,
            ),
            (
                "Raises ValueError as asked, but the 'doctest' is outside any docstring, so it will never run. Partly "
                "meets the request.",
                5,
            ),
        ),
        912: (
            (
                "Works, but groups by name only, so two customers with the same name would merge, and uses an "
                "implicit join.",
                6,
            ),
            (
                "FETCH FIRST ... WITH TIES does include ties and is valid in PostgreSQL and Oracle, though not in "
                "every database. Reasonable, but grouping by name is still a flaw.",
                6,
            ),
        ),
        913: (
            (
                "Broadly correct but vague: it does not name Rayleigh scattering, and 'smaller waves' is imprecise.",
                6,
            ),
            ("Correct in substance and concise.", 7),
        ),
        914: (
            ("Partly correct, but shallow and it never explains what a virus actually is.", 5),
            ("True but circular: it does not explain why antibiotics only affect bacteria.", 4),
        ),
        915: (
            (
                "Covers some causes, but the storming of the Bastille is an event of the revolution, not a cause. "
                "Superficial.",
                5,
            ),
            ("A defensible view but supported by a single generic sentence.", 5),
        ),
        916: (
            (
                "The definition is roughly right, but traffic jams are a weak example of a depletable commons.",
                5,
            ),
            ("The two policies fit the example given, and are reasonable.", 6),
        ),
    },
    "pico-1b-chat": {
        901: (
            ("Far too short and generic; it reads as a fragment rather than an announcement.", 2),
            ("Not haiku, not three of them, and not about the product's features.", 1),
        ),
        902: (
            (
                "Extremely brief; it omits the five days and any politeness beyond a token 'please'.",
                3,
            ),
            (
                "All capitals and exclamation marks make it aggressive rather than firm, and it asks for no repair date.",
                2,
            ),
        ),
        903: (
            (
                "Does not write a diary entry or take on the role; it is essentially a non-answer.",
                1,
            ),
            ("A knock-knock joke does not continue the diary. Off-task.", 1),
        ),
        904: (
            (
                "Recommends espresso to a customer who hates bitter flavours: the opposite of what was asked.",
                2,
            ),
            ("A milkshake contains milk, which a lactose-intolerant customer should avoid.", 1),
        ),
        905: (
            ("Gives only years, no events, and not JSON.", 2),
            ("Not a Markdown table, and it omits the end of the closure.", 2),
        ),
        906: (
            (
                "The response opens with a spreadsheet formula and gives numbers without units, so Contoso's 780 "
                "(million) sits beside 4.2 (billion). Hard to use and easy to misread.",
                2,
            ),
            ("Contoso had the lowest revenue, not the highest. Incorrect.", 1),
        ),
        907: (
            ("Incorrect: Alice is taller than Carol, as the reference shows.", 1),
            ("Incorrect: Dave is the shortest, Carol the second-shortest.", 1),
        ),
        908: (
            ("Falls for the trap: the answer is 9, not 8.", 1),
            ("Builds on the wrong first answer; the reference total is 27.", 1),
        ),
        909: (
            ("Incorrect; the solution is x = 5.", 1),
            (
                "The assistant gives x = 5, which is the answer to the first equation, not this one. The reference is "
                "7.5, so this is wrong. I would rate this a one out of ten.",
                None,
            ),
        ),
        910: (
            ("Uses the wrong formula; the sum is 720 degrees, not 1080.", 1),
            (
                "180 degrees is not possible for an interior angle of a polygon; the answer is 120.",
                1,
            ),
        ),
        911: (
            (
                "The function has no base case, so it recurses until Python's recursion limit stops it, and the "
                "response contains stray markup and a script tag. It is not a working answer.",
                1,
            ),
            (
                "Still no base case: fib(3) recurses down to fib(-1) and raises ValueError instead of returning 2; "
                "the 'doctest' is not a doctest.",
                2,
            ),
        ),
        912: (
            ("Wrong table and no aggregation; does not answer the question.", 1),
            ("Returns all customers; ignores the task entirely.", 1),
        ),
        913: (
            (
                "A common misconception; the sky is blue because of Rayleigh scattering, not reflection.",
                2,
            ),
            ("Incorrect and unrelated to scattering.", 1),
        ),
        914: (
            ("Factually wrong: viruses and bacteria are fundamentally different.", 1),
            ("Dangerous misinformation: antibiotics do not work against viruses at any dose.", 1),
        ),
        915: (
            ("Historically wrong: Napoleon rose to power a decade after the revolution began.", 1),
            ("Repeats the error.", 1),
        ),
        916: (
            (
                "Confuses the concept with a play; the tragedy of the commons is an economic idea.",
                1,
            ),
            ("Irrelevant to the question.", 1),
        ),
    },
}
